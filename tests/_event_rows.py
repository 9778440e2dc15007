"""Invented coded rows and gold files for the matching, evaluation and agreement tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

BASE: dict[str, Any] = {
    "article_id": "a1", "event_date": "2022-01-05", "time_precision": 1, "event_type": "Protests",
    "sub_event_type": "Peaceful protest", "actor1": "Protesters (Kazakhstan)", "inter1": "Protesters",
    "actor2": None, "inter2": None, "country": "Kazakhstan", "admin1": "Mangystau", "location": "Zhanaozen",
    "fatalities": 0,
}


def rows(*changes: dict[str, Any]) -> pd.DataFrame:
    """One row per dict of changes to BASE."""
    return pd.DataFrame([{**BASE, **change} for change in changes])


GOLD_YAML = """\
article: a1.txt
published: 2022-01-10
events:
  - {id: E1, event_type: Protests, sub_event_type: [Peaceful protest, Protest with intervention],
     date: 2022-01-05, country: Kazakhstan, admin1: [Mangystau, Mangistau Region], location: Zhanaozen,
     fatalities: 0, inter1: Protesters, evidence: "Oil workers protested in Zhanaozen on Wednesday."}
  - {id: E2, event_type: Battles, sub_event_type: [Armed clash], date: [2022-01-05, 2022-01-06],
     country: Kazakhstan, admin1: [Almaty], location: Almaty, fatalities: 4, inter1: State forces}
  - {id: E3, event_type: Strategic developments, sub_event_type: [Arrests], date: 2022-01,
     country: Kazakhstan, admin1: [Almaty], location: Almaty, fatalities: 0, inter1: State forces}
  - {id: O1, required: false, event_type: Riots, sub_event_type: [Violent demonstration], date: 2022-01-04,
     country: Kazakhstan, admin1: [Aktobe]}
"""


def write_gold(folder: Path, text: str = GOLD_YAML, name: str = "a1.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
