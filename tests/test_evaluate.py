"""Scoring coded rows against gold: counts, per-type scores, field accuracy, confusions, output formats."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _event_rows import rows, write_gold
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.errors import InputError
from eventcode.evaluate import confusion_cells, evaluate, field_accuracy, prf
from eventcode.gold import gold_from_rows, read_gold_yaml


def coded_rows() -> pd.DataFrame:
    return rows(
        {"sub_event_type": "Protest with intervention"},                                   # E1: TP
        {"event_type": "Battles", "sub_event_type": "Armed clash", "event_date": "2022-01-06",  # E2: TP
         "admin1": "Almaty", "location": "Almaty", "fatalities": 3, "inter1": "State forces"},
        {"event_type": "Violence against civilians", "sub_event_type": "Attack",            # E3, wrong type
         "event_date": "2022-01-20", "admin1": "Almaty", "location": "Almaty"},
        {"event_type": "Riots", "sub_event_type": "Violent demonstration",                  # O1: optional
         "event_date": "2022-01-04", "admin1": "Aktobe Region"},
        {"location": "Aktau"},                                                              # duplicate: FP
    )


@pytest.fixture
def result(tmp_path):
    return evaluate(coded_rows(), read_gold_yaml(write_gold(tmp_path)))


def test_counts_and_scores(result):
    assert (result.tp, result.fp, result.fn, result.optional_found) == (2, 2, 1, 1)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(4 / 7)


def test_per_sub_event_type(result):
    table = result.by_sub_event_type.set_index("sub_event_type")
    assert table.loc["Protest with intervention", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert table.loc["Attack", ["tp", "fp", "fn"]].tolist() == [0, 1, 0]
    assert table.loc["Peaceful protest", ["tp", "fp", "fn"]].tolist() == [0, 1, 0]
    assert table.loc["Arrests", ["tp", "fp", "fn", "recall"]].tolist() == [0, 0, 1, 0.0]
    assert table.loc["Armed clash", "f1"] == 1.0


def test_field_accuracy_on_matched_events(result):
    table = result.fields.set_index("field")
    assert table.loc["date (exact day)", ["correct", "compared"]].tolist() == [1, 1]  # E2 gives a range
    assert table.loc["location", ["correct", "compared"]].tolist() == [2, 2]
    assert table.loc["fatalities", ["correct", "compared"]].tolist() == [1, 2]
    assert table.loc["inter1", "accuracy"] == 1.0
    assert table.loc["actor1", "compared"] == 0 and pd.isna(table.loc["actor1", "accuracy"])


def test_confusion_includes_events_matching_on_everything_but_type(result):
    cells = confusion_cells(result.confusion)
    assert ("Attack", "Arrests", 1) in set(map(tuple, cells.values.tolist()))
    assert result.confusion.loc["Armed clash", "Armed clash"] == 1
    found = result.gold_events.set_index("gold_id")["found"].to_dict()
    assert found == {"E1": "yes", "E2": "yes", "E3": "type differs", "O1": "yes"}
    assert result.extra_rows["row"].tolist() == [4, 6]  # spreadsheet rows of the two false positives


def test_text_and_json_output(result):
    text = result.to_text()
    assert "precision 0.500" in text and "recall 0.667" in text
    assert "Attack" in text and "Missed gold events" in text and "E3" in text
    data = json.loads(result.to_json())
    assert data["tp"] == 2 and data["confusion"]["Attack"] == {"Arrests": 1}
    assert {f["field"] for f in data["fields"]} >= {"location", "fatalities"}


def test_json_handles_typed_columns(tmp_path):
    coded = coded_rows()
    coded["event_date"] = pd.to_datetime(coded["event_date"]).dt.date
    coded["fatalities"] = coded["fatalities"].astype("Int32")
    coded["sub_event_type"] = coded["sub_event_type"].astype("category")
    data = json.loads(evaluate(coded, read_gold_yaml(write_gold(tmp_path))).to_json())
    assert data["tp"] == 2 and data["extra_rows"][0]["event_date"] == "2022-01-20"


def test_plain_rows_are_accepted_as_gold():
    coded = rows({}, {"location": "Aktau", "event_date": "2022-01-06"})
    result = evaluate(coded, coded.iloc[[0]])
    assert (result.tp, result.fp, result.fn) == (1, 1, 0)


def test_missing_match_columns_are_an_input_error(tmp_path):
    with pytest.raises(InputError, match="coded.csv: missing column"):
        evaluate(rows({}).drop(columns="country"), read_gold_yaml(write_gold(tmp_path)), source="coded.csv")


def test_no_article_ids_is_noted(tmp_path):
    gold = pd.concat([read_gold_yaml(write_gold(tmp_path)),
                      read_gold_yaml(write_gold(tmp_path, name="b.yaml")).assign(article_id="b")])
    result = evaluate(coded_rows().drop(columns="article_id"), gold)
    assert any("article_id" in note for note in result.notes)


def test_gold_articles_without_coded_rows_are_noted(tmp_path):
    result = evaluate(coded_rows().assign(article_id="A1"), read_gold_yaml(write_gold(tmp_path)))
    assert result.tp == 0 and any("no coded rows for gold article(s) a1" in n for n in result.notes)
    assert "Note: no coded rows" in result.to_text()


def test_prf_and_field_accuracy_edge_cases():
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    empty = field_accuracy(rows({}), gold_from_rows(rows({})), pd.DataFrame({"left": [], "right": []}))
    assert empty["compared"].sum() == 0


# -- properties -------------------------------------------------------------------------------------------
event = st.fixed_dictionaries({
    "article_id": st.sampled_from(["a1", "a2"]),
    "sub_event_type": st.sampled_from(["Peaceful protest", "Protest with intervention"]),
    "admin1": st.sampled_from(["Mangystau", "Almaty"]),
    "event_date": st.sampled_from(["2022-01-05", "2022-01-06"]),
    "time_precision": st.sampled_from([1, 2, 3]),
    "fatalities": st.integers(0, 3),
})


@settings(max_examples=40, deadline=None)
@given(st.lists(event, max_size=6), st.lists(event, min_size=1, max_size=6))
def test_scores_are_proportions_and_counts_add_up(coded_events, gold_events):
    coded = rows(*coded_events) if coded_events else rows({}).iloc[0:0]
    gold = gold_from_rows(rows(*gold_events))
    result = evaluate(coded, gold)
    for score in (result.precision, result.recall, result.f1):
        assert 0.0 <= score <= 1.0
    scored = coded["article_id"].isin(set(gold["article_id"])) if len(coded) else []
    assert result.tp + result.fp + result.optional_found == int(sum(scored))
    assert result.tp + result.fn == int(gold["required"].sum())


@settings(max_examples=30, deadline=None)
@given(st.lists(event, min_size=1, max_size=8))
def test_identical_inputs_score_f1_one(events):
    coded = rows(*events)
    result = evaluate(coded, gold_from_rows(coded))
    assert result.f1 == 1.0 and result.fp == 0 and result.fn == 0
    assert (result.fields["correct"] == result.fields["compared"]).all()


def test_rows_of_articles_without_gold_are_left_out_with_a_note(tmp_path):
    coded = coded_rows()
    other = coded.iloc[[0]].assign(article_id="not-gold-coded")
    result = evaluate(pd.concat([coded, other], ignore_index=True), read_gold_yaml(write_gold(tmp_path)))
    assert (result.tp, result.fp, result.fn) == (2, 2, 1)
    assert any("1 coded row(s) from 1 article(s) without a gold coding" in note for note in result.notes)
