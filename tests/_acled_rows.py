"""Small invented ACLED-style rows for the validation tests (cells as a spreadsheet holds them: text)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

GOOD = {
    "event_id_cnty": "KAZ1001",
    "event_date": "2022-01-05",
    "year": "2022",
    "time_precision": "1",
    "disorder_type": "Demonstrations",
    "event_type": "Protests",
    "sub_event_type": "Peaceful protest",
    "actor1": "Protesters (Kazakhstan)",
    "assoc_actor_1": "Labour Group (Kazakhstan); Oil Workers (Kazakhstan)",
    "inter1": "Protesters",
    "actor2": None,
    "assoc_actor_2": None,
    "inter2": None,
    "interaction": "Protesters only",
    "civilian_targeting": None,
    "iso": "398",
    "region": "Caucasus and Central Asia",
    "country": "Kazakhstan",
    "admin1": "Mangystau",
    "admin2": "Zhanaozen",
    "admin3": None,
    "location": "Zhanaozen",
    "latitude": "43.3412",
    "longitude": "52.8619",
    "geo_precision": "1",
    "source": "Reuters; Kazinform",
    "source_scale": "National-International",
    "notes": "On 5 January 2022, oil workers protested fuel prices in Zhanaozen.",
    "fatalities": "0",
    "tags": None,
    "timestamp": "1641600000",
}

# A second good row of another kind: police attack civilians in Nigeria.
GOOD_VAC = {
    **GOOD,
    "event_id_cnty": "NGA2002",
    "event_date": "2021-03-14",
    "year": "2021",
    "disorder_type": "Political violence",
    "event_type": "Violence against civilians",
    "sub_event_type": "Attack",
    "actor1": "Police Forces of Nigeria (2015-2023)",
    "assoc_actor_1": None,
    "inter1": "State forces",
    "actor2": "Civilians (Nigeria)",
    "inter2": "Civilians",
    "interaction": "State forces-Civilians",
    "civilian_targeting": "Civilian targeting",
    "iso": "566",
    "region": "Western Africa",
    "country": "Nigeria",
    "admin1": "Lagos",
    "admin2": "Ikeja",
    "location": "Ikeja",
    "latitude": "6.6018",
    "longitude": "3.3515",
    "source": "Punch",
    "source_scale": "National",
    "notes": "Police shot a man in Ikeja.",
    "fatalities": "1",
}


def rows(*changes: dict, base: dict = GOOD) -> list[dict]:
    """One good row per change dict, with the change applied and a unique id."""
    out = []
    for i, change in enumerate(changes):
        row = dict(base)
        row["event_id_cnty"] = f"{row['event_id_cnty'][:3]}{100 + i}"
        row.update(change)
        out.append(row)
    return out


def frame(records: list[dict]) -> pd.DataFrame:
    """A sheet frame as reading.read gives it: object strings, NA for empty, index = row number."""
    out = pd.DataFrame(records, dtype=object)
    out.index = pd.RangeIndex(2, 2 + len(out))
    return out


@dataclass
class FakeSheet:
    """Stands in for reading.Sheet in tests that must not depend on file reading."""

    frame: pd.DataFrame
    path: str = "coded.csv"
    sheet: str | None = None
    fmt: str = "csv"
    formulas: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    encoding: str | None = "utf-8"
