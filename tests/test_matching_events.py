"""One-to-one event matching: the criteria, optimality against greedy order, and its properties."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from _event_rows import rows
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.matching_events import (
    article_key,
    assign,
    date_windows,
    event_keys,
    match_events,
    normalise_place,
    normalise_text,
)


def gold_frame(*events: dict) -> pd.DataFrame:
    """Reference events with accepted lists and explicit date windows, as eventcode.gold builds them."""
    base = {"article_id": "a1", "event_type": "Protests", "sub_event_type": ["Peaceful protest"],
            "country": "Kazakhstan", "admin1": ["Mangystau"], "date_lo": "2022-01-05",
            "date_hi": "2022-01-05"}
    frame = pd.DataFrame([{**base, **e} for e in events])
    frame["date_lo"] = pd.to_datetime(frame["date_lo"])
    frame["date_hi"] = pd.to_datetime(frame["date_hi"])
    return frame


def test_normalise_place_ignores_case_diacritics_and_admin_words():
    names = ["Osh Oblast", "JALAL-ABAD Region", "Faryāb Province", None, "Nuevo León"]
    got = normalise_place(pd.Series(names))
    assert got.tolist() == ["osh", "jalal abad", "faryab", "", "nuevo leon"]


def test_normalise_text_and_article_key():
    assert normalise_text(pd.Series(["  Police  Forces of Kazakhstan"])).tolist() == [
        "police forces of kazakhstan"]
    assert article_key(pd.Series(["dev01.txt", "dev01", " a.b.html", None])).tolist() == [
        "dev01", "dev01", "a.b", ""]


def test_date_windows_follow_time_precision():
    frame = pd.DataFrame({"event_date": ["2022-01-10"] * 3, "time_precision": [1, 2, 3]})
    lo, hi = date_windows(frame, use_precision=True)
    assert lo.dt.strftime("%Y-%m-%d").tolist() == ["2022-01-10", "2022-01-07", "2022-01-01"]
    assert hi.dt.strftime("%Y-%m-%d").tolist() == ["2022-01-10", "2022-01-13", "2022-01-31"]
    lo, hi = date_windows(frame, use_precision=False)
    assert (lo == hi).all()


def test_event_keys_hold_accepted_values_as_tuples():
    keys = event_keys(gold_frame({"admin1": ["Mangistau Region", "Mangystau"]}))
    assert keys.at[0, "admin1"] == ("mangistau", "mangystau")
    assert keys.at[0, "day"] == ("2022-01-05",)


def test_match_requires_every_criterion():
    gold = gold_frame({})
    accepted = rows({})
    assert len(match_events(accepted, gold).exact) == 1
    for change in ({"article_id": "a2"}, {"country": "Kyrgyzstan"}, {"admin1": "Almaty"},
                   {"event_date": "2022-01-06"}):
        matching = match_events(rows(change), gold)
        assert matching.pairs.empty, change
    wrong_type = match_events(rows({"sub_event_type": "Protest with intervention"}), gold)
    assert len(wrong_type.pairs) == 1 and not wrong_type.pairs["exact"].any()
    assert match_events(rows({"sub_event_type": "Protest with intervention"}), gold, near=False).pairs.empty


def test_accepted_lists_ranges_and_months():
    gold = gold_frame(
        {"sub_event_type": ["Peaceful protest", "Protest with intervention"], "admin1": ["Mangistau Oblast"]},
        {"article_id": "a2", "date_lo": "2022-01-01", "date_hi": "2022-01-31"},
    )
    coded = rows({"sub_event_type": "Protest with intervention", "admin1": "Mangistau"},
                 {"article_id": "a2", "event_date": "2022-01-30"})
    matching = match_events(coded, gold)
    assert sorted(zip(matching.exact["left"], matching.exact["right"], strict=True)) == [(0, 0), (1, 1)]


def test_without_article_ids_rows_match_across_articles():
    coded = rows({}).drop(columns="article_id")
    assert len(match_events(coded, gold_frame({"article_id": "other"})).exact) == 1


def test_optimal_assignment_beats_greedy_gold_order():
    # Greedy in gold order gives the range event row 0 and leaves the single-day event unmatched.
    gold = gold_frame({"date_lo": "2022-01-05", "date_hi": "2022-01-06"}, {})
    coded = rows({"event_date": "2022-01-05"}, {"event_date": "2022-01-06"})
    matching = match_events(coded, gold)
    assert sorted(zip(matching.exact["left"], matching.exact["right"], strict=True)) == [(0, 1), (1, 0)]


def test_secondary_fields_break_ties():
    gold = gold_frame({"location": "Aktau"}, {"location": "Zhanaozen"})
    coded = rows({"location": "Zhanaozen"}, {"location": "Aktau"})
    pairs = match_events(coded, gold).exact
    assert dict(zip(pairs["left"], pairs["right"], strict=True)) == {0: 1, 1: 0}
    assert (pairs["agree"] >= 2).all()  # the day and the location


def test_priority_prefers_required_reference_events():
    gold = gold_frame({"gold_id": "optional"}, {"gold_id": "required"})
    matching = match_events(rows({}), gold, priority=pd.Series([0, 1]))
    assert matching.exact["right"].tolist() == [1]
    assert matching.unmatched_right.tolist() == [0]


def test_exact_pairs_come_before_near_pairs():
    gold = gold_frame({"sub_event_type": ["Protest with intervention"]}, {})
    coded = rows({})
    matching = match_events(coded, gold)
    assert matching.exact["right"].tolist() == [1]
    assert matching.near.empty and matching.unmatched_right.tolist() == [0]


def test_index_labels_are_kept():
    coded = rows({}).set_axis([17])
    gold = gold_frame({}).set_axis(["g"])
    matching = match_events(coded, gold)
    assert matching.pairs[["left", "right"]].values.tolist() == [[17, "g"]]


# -- properties -------------------------------------------------------------------------------------------
SUBS = ["Peaceful protest", "Protest with intervention"]
ADMINS = ["Mangystau", "Almaty"]
DAYS = ["2022-01-05", "2022-01-06", "2022-01-07"]
event = st.fixed_dictionaries({
    "article_id": st.sampled_from(["a1", "a2"]), "sub_event_type": st.sampled_from(SUBS),
    "admin1": st.sampled_from(ADMINS), "event_date": st.sampled_from(DAYS),
    "location": st.sampled_from(["Aktau", "Zhanaozen"]),
})


def compatible(row: pd.Series, ref: pd.Series) -> bool:
    """The exact-match criteria, written plainly for cross-checking the vectorised matcher."""
    day = pd.Timestamp(row["event_date"])
    return (row["article_id"] == ref["article_id"] and row["sub_event_type"] == ref["sub_event_type"]
            and row["admin1"] == ref["admin1"] and ref["lo"] <= day <= ref["hi"])


def brute_force_maximum(coded: pd.DataFrame, ref: pd.DataFrame) -> int:
    edges = {(i, j) for i in range(len(coded)) for j in range(len(ref))
             if compatible(coded.iloc[i], ref.iloc[j])}
    best = 0
    for k in range(min(len(coded), len(ref)), 0, -1):
        for lefts in itertools.combinations(range(len(coded)), k):
            for rights in itertools.permutations(range(len(ref)), k):
                if all((a, b) in edges for a, b in zip(lefts, rights, strict=True)):
                    return k
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(event, max_size=5), st.lists(event, max_size=4),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_matching_is_one_to_one_valid_and_maximum(coded_events, ref_events, widen):
    coded = rows(*coded_events) if coded_events else rows({}).iloc[0:0]
    ref = rows(*ref_events) if ref_events else rows({}).iloc[0:0]
    ref["lo"] = pd.to_datetime(ref["event_date"])
    ref["hi"] = ref["lo"] + pd.to_timedelta(np.array(widen[: len(ref)], dtype=int), unit="D")
    gold = ref.assign(date_lo=ref["lo"], date_hi=ref["hi"])
    matching = match_events(coded, gold)
    pairs = matching.pairs
    assert pairs["left"].is_unique and pairs["right"].is_unique
    assert len(pairs) + len(matching.unmatched_left) == len(coded)
    assert len(pairs) + len(matching.unmatched_right) == len(ref)
    for left, right in zip(matching.exact["left"], matching.exact["right"], strict=True):
        assert compatible(coded.loc[left], ref.loc[right])
    assert len(matching.exact) == brute_force_maximum(coded, ref)


@settings(max_examples=40, deadline=None)
@given(st.lists(event, min_size=1, max_size=8))
def test_identical_inputs_match_completely(events):
    coded = rows(*events)
    matching = match_events(coded, coded.copy(), right_precision=False)
    assert len(matching.exact) == len(coded)
    assert matching.unmatched_left.empty and matching.unmatched_right.empty


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 3)), min_size=1, max_size=25,
                unique_by=lambda e: e[:2]))
def test_sparse_and_dense_assignment_agree(edges):
    cand = pd.DataFrame(edges, columns=["li", "ri", "score"])
    dense = assign(cand, cand["score"], dense_limit=10**9)
    sparse = assign(cand, cand["score"], dense_limit=0)
    for chosen in (dense, sparse):
        assert chosen["li"].is_unique and chosen["ri"].is_unique
    assert len(dense) == len(sparse)
    assert dense["score"].sum() == sparse["score"].sum()
