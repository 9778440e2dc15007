"""Inter-coder reliability: unit alignment, Krippendorff's alpha, Cohen's kappa and the output formats."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pandas as pd
import pytest
from _event_rows import rows
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.agreement import agreement, align_units, cohen_kappa, reliability_matrix
from eventcode.errors import InputError


def coder_a() -> pd.DataFrame:
    return rows(
        {},
        {"event_type": "Battles", "sub_event_type": "Armed clash", "admin1": "Almaty", "location": "Almaty",
         "fatalities": 4, "inter1": "State forces", "actor2": "Rebels"},
        {"event_type": "Riots", "sub_event_type": "Mob violence", "admin1": "Aktobe", "location": "Aktobe",
         "fatalities": 1, "inter1": "Rioters"},
    )


def coder_b() -> pd.DataFrame:
    return rows(
        {"event_type": "Battles", "sub_event_type": "Armed clash", "admin1": "Almaty Region",
         "location": "Almaty", "fatalities": 5, "inter1": "State forces", "actor2": "rebels"},
        {"sub_event_type": "Protest with intervention"},       # same event as A's first, other sub type
        {"event_type": "Strategic developments", "sub_event_type": "Arrests", "admin1": "Shymkent",
         "inter1": "State forces"},                             # A did not code it
    )


def test_cohen_kappa_textbook_example():
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 -> kappa 0.4.
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa(["x"], [])


def test_units_align_events_of_the_same_unit():
    units = align_units([coder_a(), coder_b()])
    pairs = {(a, b) for a, b in units[[0, 1]].astype(object).itertuples(index=False)}
    assert pairs == {(0, 1), (1, 0), (2, pd.NA), (pd.NA, 2)}


def test_reliability_matrix_marks_missing_events():
    frames = [coder_a(), coder_b()]
    units = align_units(frames)
    present = reliability_matrix(frames, units, "event_present", "nominal")
    assert present.tolist() == [[1, 1, 1, 0], [1, 1, 0, 1]]
    fatalities = reliability_matrix(frames, units, "fatalities", "ratio")
    assert np.isnan(fatalities[1, 2]) and fatalities[:, 1].tolist() == [4, 5]


def test_alpha_and_kappa_per_field():
    result = agreement([coder_a(), coder_b()], ["A", "B"])
    table = result.fields.set_index("field")
    assert table.loc["event_present", "units"] == 4
    assert table.loc["event_present", "agreement"] == pytest.approx(0.5)
    assert table.loc["sub_event_type", "units"] == 2
    assert table.loc["sub_event_type", "agreement"] == pytest.approx(0.5)
    assert table.loc["admin1", "agreement"] == 1.0          # "Almaty Region" = "Almaty"
    assert table.loc["actor2", "agreement"] == 1.0          # case ignored
    expected = krippendorff.alpha(reliability_data=[[4, 0], [5, 0]], level_of_measurement="ratio")
    assert table.loc["fatalities", "alpha"] == pytest.approx(expected)
    assert table.loc["fatalities", "level"] == "ratio" and pd.isna(table.loc["fatalities", "kappa"])
    kappa = cohen_kappa(["Armed clash", "Peaceful protest"], ["Armed clash", "Protest with intervention"])
    assert table.loc["sub_event_type", "kappa"] == pytest.approx(kappa)
    assert result.units.columns.tolist() == ["article_id", "A", "B"]


def test_three_coders_and_notes():
    result = agreement([coder_a(), coder_b(), coder_b()], ["A", "B", "C"])
    table = result.fields.set_index("field")
    assert table["kappa"].isna().all()
    # B's and C's arrest (missed by A) is one unit coded by two coders.
    assert table.loc["event_present", "units"] == 4
    assert result.units[["B", "C"]].notna().all(axis=1).sum() == 3
    assert any("units of the coders before it" in note for note in result.notes)


def test_output_formats():
    result = agreement([coder_a(), coder_b()], ["A", "B"])
    text = result.to_text()
    assert "Coders: A, B" in text and "event_present" in text and "fatalities" in text
    data = json.loads(result.to_json())
    assert data["coders"] == ["A", "B"] and data["fields"][0]["field"] == "event_present"
    assert len(data["units"]) == 4


def test_bad_input():
    with pytest.raises(ValueError):
        agreement([coder_a()])
    with pytest.raises(InputError, match="b.csv: missing column"):
        agreement([coder_a(), coder_b().drop(columns="event_date")], ["a.csv", "b.csv"])
    result = agreement([coder_a(), coder_b().drop(columns="actor2")])
    assert "actor2" not in result.fields["field"].tolist()
    assert any("actor2" in note for note in result.notes)


event = st.fixed_dictionaries({
    "article_id": st.sampled_from(["a1", "a2"]),
    "sub_event_type": st.sampled_from(["Peaceful protest", "Protest with intervention"]),
    "admin1": st.sampled_from(["Mangystau", "Almaty"]),
    "event_date": st.sampled_from(["2022-01-05", "2022-01-06"]),
    "location": st.sampled_from(["Aktau", "Zhanaozen"]),
    "fatalities": st.integers(0, 3),
})


@settings(max_examples=30, deadline=None)
@given(st.lists(event, min_size=1, max_size=8))
def test_identical_codings_agree_perfectly(events):
    frame = rows(*events)
    result = agreement([frame, frame.copy()])
    table = result.fields.set_index("field")
    assert (table["agreement"] == 1.0).all()
    assert (table["units"] == len(frame)).all()
    for name in ("sub_event_type", "admin1", "location", "fatalities"):
        if frame[name].nunique() > 1:
            assert table.loc[name, "alpha"] == pytest.approx(1.0)
        else:
            assert pd.isna(table.loc[name, "alpha"])  # no variation: alpha undefined
