"""Every cross-column check and every column rule: a failing case, and a passing case that a careless
rule would get wrong. The case tables below are the rules' living documentation."""

from __future__ import annotations

import pandas as pd
import pytest
from _acled_rows import GOOD, GOOD_VAC, FakeSheet, frame, rows

from eventcode import checks
from eventcode.checks import CODES, REGISTRY, all_codes
from eventcode.validation import validate

# code -> (base row, change that breaks it, column reported, expected suggestion or None)
FAILING = {
    "sub-event-type-mismatch": (GOOD, {"event_type": "Riots"}, "sub_event_type",
                                'event_type "Protests", or a sub-event type of "Riots"'),
    "disorder-type-mismatch": (GOOD, {"disorder_type": "Political violence"}, "disorder_type",
                               'did you mean "Demonstrations"?'),
    "year-mismatch": (GOOD, {"year": "2021"}, "year", "did you mean 2022?"),
    "inter-actor-mismatch": (GOOD, {"inter1": "Rioters", "interaction": "Rioters only"}, "inter1",
                             'did you mean "Protesters"?'),
    "interaction-mismatch": (GOOD_VAC, {"interaction": "State forces only"}, "interaction",
                             'did you mean "State forces-Civilians"?'),
    "actor2-inter2-mismatch": (GOOD_VAC, {"inter2": None, "interaction": "State forces only",
                                          "civilian_targeting": None},
                               "inter2", "give actor2's kind in inter2"),
    "civilian-targeting-mismatch": (GOOD, {"civilian_targeting": "Civilian targeting"}, "civilian_targeting",
                                    "leave civilian_targeting empty unless actor2 is civilians"),
    "coordinates-outside-country": (GOOD, {"latitude": "52.8619", "longitude": "43.3412"}, "longitude",
                                    "latitude and longitude swapped?"),
    "iso-mismatch": (GOOD, {"iso": "417"}, "iso", "did you mean 398?"),
    "region-mismatch": (GOOD, {"region": "Europe"}, "region", "did you mean Caucasus and Central Asia?"),
    "event-id-country-mismatch": (GOOD, {"event_id_cnty": "KGZ55"}, "event_id_cnty",
                                  '"KAZ" followed by the number'),
    "future-date": (GOOD, {"event_date": "2098-05-01", "year": "2098"}, "event_date",
                    "check the year and the day/month order"),
    "multi-value-separator": (GOOD, {"source": "Reuters;Kazinform"}, "source",
                              "did you mean Reuters; Kazinform?"),
    # column rules (pandera and coercion)
    "not-allowed": (GOOD, {"event_type": "Protest"}, "event_type", 'did you mean "Protests"?'),
    "pattern-mismatch": (GOOD, {"event_id_cnty": "kaz 12"}, "event_id_cnty", "did you mean KAZ12?"),
    "out-of-range": (GOOD, {"fatalities": "-2"}, "fatalities", None),
    "missing-value": (GOOD, {"location": "  "}, "location", None),
    "not-a-number": (GOOD, {"latitude": "43,3412"}, "latitude", "did you mean 43.3412?"),
    "not-a-whole-number": (GOOD, {"fatalities": "2.5"}, "fatalities", None),
    "invalid-date": (GOOD, {"event_date": "5 Janvier 2022"}, "event_date", None),
}

# code -> (base row, change that looks suspicious but is right)
PASSING = {
    "sub-event-type-mismatch": (GOOD, {"event_type": "Riots", "sub_event_type": "Mob violence",
                                       "disorder_type": "Political violence",
                                       "actor1": "Rioters (Kazakhstan)", "inter1": "Rioters",
                                       "interaction": "Rioters only"}),
    "disorder-type-mismatch": (GOOD, {"sub_event_type": "Excessive force against protesters",
                                      "disorder_type": "Political violence; Demonstrations"}),
    "year-mismatch": (GOOD, {"event_date": "31/12/2021", "year": "2021"}),
    "inter-actor-mismatch": (GOOD_VAC, {"actor1": "Military Forces of Russia (2000-)",
                                        "inter1": "External/Other forces",
                                        "interaction": "Civilians-External/Other forces"}),
    "interaction-mismatch": (GOOD_VAC, {"actor1": "Civilians (Nigeria)", "inter1": "Civilians",
                                        "actor2": "Police Forces of Nigeria (2015-2023)",
                                        "inter2": "State forces", "interaction": "State forces-Civilians",
                                        "civilian_targeting": None}),
    "actor2-inter2-mismatch": (GOOD, {}),
    "civilian-targeting-mismatch": (GOOD_VAC, {}),
    "coordinates-outside-country": (GOOD, {"latitude": "50.28", "longitude": "57.17"}),  # Aktobe
    "iso-mismatch": (GOOD, {"country": "Kosovo", "iso": "0", "region": "Europe", "event_id_cnty": "XKX7",
                            "latitude": "42.66", "longitude": "21.17"}),
    "region-mismatch": (GOOD, {"country": "Kyrgyzstan", "iso": "417", "event_id_cnty": "KGZ7",
                               "latitude": "42.87", "longitude": "74.59"}),
    # ACLED keeps legacy prefixes that are no country's ISO3 code (NIG for Nigeria, BFO for Burkina Faso)
    "event-id-country-mismatch": (GOOD, {"event_id_cnty": "QZX999999"}),
    "future-date": (GOOD, {"event_date": "2024-02-29", "year": "2024"}),
    "multi-value-separator": (GOOD, {"source": "Reuters; Kazinform; Tengrinews"}),
    "not-allowed": (GOOD, {"event_type": "  Protests "}),
    "pattern-mismatch": (GOOD, {"event_id_cnty": "KAZ0"}),
    "out-of-range": (GOOD, {"fatalities": "0", "latitude": "43.3412"}),
    "missing-value": (GOOD, {"admin3": None}),
    "not-a-number": (GOOD, {"latitude": " 43.3412 "}),
    "not-a-whole-number": (GOOD, {"fatalities": "3.0"}),
    "invalid-date": (GOOD, {"event_date": "5 January 2022"}),
}


def _check(records: list[dict]) -> pd.DataFrame:
    return validate([FakeSheet(frame(records))]).report.to_frame()


def test_the_good_rows_are_valid():
    report = validate([FakeSheet(frame(rows({}, base=GOOD) + rows({}, base=GOOD_VAC)))]).report
    assert report.valid, report.to_text()


def test_every_code_has_a_failing_and_a_passing_case():
    documented = set(REGISTRY) | (set(CODES) - {"unknown-column", "formula-cell", "duplicate-value"})
    assert documented <= set(FAILING)
    assert documented <= set(PASSING)


@pytest.mark.parametrize("code", sorted(FAILING))
def test_check_reports_its_failing_case(code):
    base, change, column, suggestion = FAILING[code]
    problems = _check(rows({}, change, base=base))
    mine = problems[problems["check"] == code]
    assert len(mine) >= 1, problems
    first = mine.iloc[0]
    assert (first["row"], first["column"]) == (3, column)
    assert first["suggestion"] == suggestion
    assert first["message"]
    assert set(problems["row"]) == {3}, "the good row 2 must stay clean"


@pytest.mark.parametrize("code", sorted(PASSING))
def test_check_passes_its_tricky_valid_case(code):
    base, change = PASSING[code]
    problems = _check(rows(change, base=base))
    assert problems.empty, problems.to_string()


def test_duplicate_ids_are_reported_on_every_copy_with_the_other_rows():
    problems = _check(rows({}, {}, {"event_id_cnty": "KAZ100"}))
    dups = problems[problems["check"] == "duplicate-value"]
    assert dups["row"].tolist() == [2, 4]
    assert "rows 2, 4" in dups["message"].iloc[0]


def test_latitude_out_of_range_suggests_a_swap_only_if_it_fits_the_country():
    problems = _check(rows({"latitude": "152.86", "longitude": "43.34"},
                           {"latitude": "95", "longitude": "43"}))
    by_row = problems.set_index("row")
    assert by_row.loc[2, "check"] == "out-of-range" and by_row.loc[2, "suggestion"] is None
    assert by_row.loc[3, "check"] == "out-of-range" and by_row.loc[3, "suggestion"] is None
    fits = _check(rows({"latitude": "52.8619", "longitude": "43.3412"}))
    assert fits["suggestion"].tolist() == ["latitude and longitude swapped?"]


def test_a_misspelt_value_is_reported_once_not_again_by_the_cross_checks():
    problems = _check(rows({"event_type": "Violence against civilian"}))
    assert problems["check"].tolist() == ["not-allowed"]
    assert problems["suggestion"].tolist() == ['did you mean "Violence against civilians"?']


def test_case_and_space_variants_get_the_canonical_value():
    problems = _check(rows({"sub_event_type": "peaceful  PROTEST"}))
    assert problems["suggestion"].tolist() == ['did you mean "Peaceful protest"?']


def test_an_unreadable_cell_is_one_problem_not_also_missing():
    problems = _check(rows({"fatalities": "some"}))
    assert problems["check"].tolist() == ["not-a-number"]


def test_future_date_uses_today(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: pd.Timestamp("2022-01-04"))
    problems = _check(rows({}))
    assert problems["check"].tolist() == ["future-date"]


def test_every_code_is_documented_and_codes_cannot_be_registered_twice():
    for code, doc in all_codes().items():
        assert doc and code == code.lower() and " " not in code
    with pytest.raises(ValueError, match="registered twice"):
        checks.check("year-mismatch")(lambda frame, schema: [])


def test_checks_skip_when_their_columns_are_absent():
    records = rows({})
    for record in records:
        del record["civilian_targeting"]
    assert validate([FakeSheet(frame(records))]).report.valid
