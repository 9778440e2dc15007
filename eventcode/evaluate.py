"""Score coded event rows against a gold coding: precision, recall, F1, field accuracy, confusions.

Why these figures: precision and recall say whether the coder finds the events a careful human would
(and no others); per-sub-event-type figures show which rules need work; field accuracy on matched events
shows whether the found events are coded right; the confusion table shows which sub-event types get
mistaken for which (it includes events that match on everything but their type).

Counting: a coded row matched one-to-one (see eventcode.matching_events) to a required gold event is a
true positive; to an optional gold event it is neither credited nor penalised; every other coded row is a
false positive; every required gold event left unmatched is a false negative.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .gold import GOLD_COLUMNS, gold_from_rows, row_numbers
from .matching_events import article_key, event_keys, match_events, shared_keys

MATCH_COLUMNS = ("event_type", "sub_event_type", "country", "event_date")
# Report name -> key compared by eventcode.matching_events.event_keys.
FIELDS = {"date (exact day)": "day", "location": "location", "actor1": "actor1", "inter1": "inter1",
          "fatalities": "fatalities"}
SHOWN = ("article_id", "event_date", "sub_event_type", "admin1", "location", "rule_id")


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1; 0 where undefined (nothing coded, nothing to find)."""
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return precision, recall, _ratio(2 * precision * recall, precision + recall)


@dataclass
class Evaluation:
    """The scores of one coded table against one gold set, with the detail behind them."""

    tp: int
    fp: int
    fn: int
    optional_found: int
    by_sub_event_type: pd.DataFrame
    fields: pd.DataFrame
    confusion: pd.DataFrame
    gold_events: pd.DataFrame
    extra_rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return prf(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)[2]

    def to_dict(self) -> dict[str, Any]:
        confusion = {str(coded): {str(g): int(n) for g, n in row.items() if n}
                     for coded, row in self.confusion.iterrows()}
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "optional_found": self.optional_found,
            "by_sub_event_type": _records(self.by_sub_event_type),
            "fields": _records(self.fields),
            "confusion": confusion,
            "gold_events": _records(self.gold_events),
            "extra_rows": _records(self.extra_rows),
            "notes": self.notes,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def to_text(self) -> str:
        lines = [
            f"Events: precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(TP {self.tp}, FP {self.fp}, FN {self.fn}; optional events found, not counted: "
            f"{self.optional_found})",
        ]
        lines += [f"Note: {note}" for note in self.notes]
        if len(self.by_sub_event_type):
            table = self.by_sub_event_type.round(3).to_string(index=False)
            lines += ["", "By sub-event type:", _indent(table)]
        lines += ["", "Field accuracy on matched required events:",
                  _indent(self.fields.round(3).to_string(index=False))]
        cells = confusion_cells(self.confusion)
        mixed = cells[cells["coded"] != cells["gold"]]
        agreeing = int(cells.loc[cells["coded"] == cells["gold"], "events"].sum())
        lines += ["", "Sub-event type confusions (events matching on everything but their type; "
                      f"{agreeing} matched events agree):"]
        lines.append(_indent(mixed.to_string(index=False)) if len(mixed) else "  none")
        missed = self.gold_events[self.gold_events["required"] & (self.gold_events["found"] != "yes")]
        if len(missed):
            lines += ["", "Missed gold events:",
                      _indent(missed.drop(columns=["required"]).to_string(index=False))]
        if len(self.extra_rows):
            table = self.extra_rows.to_string(index=False)
            lines += ["", "Coded rows matching no gold event (row: spreadsheet row):", _indent(table)]
        return "\n".join(lines)


def confusion_cells(confusion: pd.DataFrame) -> pd.DataFrame:
    """The non-zero cells of a confusion crosstab as rows (coded, gold, events), largest first."""
    if confusion.empty:
        return pd.DataFrame({"coded": [], "gold": [], "events": []})
    cells = confusion.stack().rename("events").reset_index()
    cells = cells[cells["events"] > 0]
    cells = cells.sort_values(["events", "coded", "gold"], ascending=[False, True, True])
    return cells.reset_index(drop=True)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: numpy scalars to Python, missing to None, times to ISO dates."""
    clean = frame.astype(object).where(frame.notna(), None)
    out = []
    for record in clean.to_dict("records"):
        out.append({k: _plain(v) for k, v in record.items()})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, (list, tuple)) and values else None


def evaluate(coded: pd.DataFrame, gold: pd.DataFrame, *, source: str = "coded rows") -> Evaluation:
    """Score `coded` ACLED-style rows against `gold` (a gold frame from eventcode.gold, or plain rows).

    source names the coded input in error messages.
    """
    missing = [c for c in MATCH_COLUMNS if c not in coded.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)} needed to match events")
    if not set(GOLD_COLUMNS) <= set(gold.columns):
        gold = gold_from_rows(gold)
    numbers = row_numbers(coded)
    coded = coded.reset_index(drop=True)
    gold = gold.reset_index(drop=True)
    notes = []
    if "article_id" not in coded.columns and gold["article_id"].nunique() > 1:
        notes.append("the coded rows have no article_id column, so rows were matched across all articles")
    elif "article_id" in coded.columns and gold["article_id"].notna().any():
        coded_ids = set(article_key(coded["article_id"].dropna()))
        missing_ids = sorted(set(gold["article_id"].dropna()) - coded_ids)
        if missing_ids and len(coded):
            shown = ", ".join(missing_ids[:5]) + (" ..." if len(missing_ids) > 5 else "")
            notes.append(f"no coded rows for gold article(s) {shown}: check that article_id is the "
                         "article file's name without extension")
    if "article_id" in coded.columns and gold["article_id"].notna().all() and len(gold):
        # articles nobody gold-coded say nothing about precision: leave their rows out, as score.py does
        scored = article_key(coded["article_id"]).isin(set(gold["article_id"])).to_numpy()
        if not scored.all():
            unscored = coded.loc[~scored, "article_id"]
            notes.append(f"{len(unscored)} coded row(s) from {unscored.nunique()} article(s) without a gold "
                         "coding were not scored")
            numbers = numbers[scored]
            coded = coded[scored].reset_index(drop=True)
    required = gold["required"].to_numpy(dtype=bool)
    matching = match_events(coded, gold, near=True, priority=gold["required"].astype(int))
    pairs = matching.pairs.astype({"left": int, "right": int})
    pairs["required"] = required[pairs["right"].to_numpy()]
    exact = pairs[pairs["exact"]]
    true_pairs = exact[exact["required"]]
    fp_rows = np.setdiff1d(np.arange(len(coded)), exact["left"].to_numpy())
    fn_gold = np.setdiff1d(np.flatnonzero(required), true_pairs["right"].to_numpy())

    coded_sub = coded["sub_event_type"].astype(object)
    gold_sub = gold["sub_event_type"].map(_first)
    by_type = _by_sub_event_type(coded_sub.iloc[true_pairs["left"]], coded_sub.iloc[fp_rows],
                                 gold_sub.iloc[fn_gold])
    confusion_pairs = pairs[pairs["required"]]
    coded_labels = coded_sub.iloc[confusion_pairs["left"]].to_numpy()
    gold_labels = np.where(confusion_pairs["exact"], coded_labels, gold_sub.iloc[confusion_pairs["right"]])
    confusion = pd.crosstab(pd.Series(coded_labels, name="coded"), pd.Series(gold_labels, name="gold"))

    found = pd.Series("no", index=gold.index)
    found.iloc[pairs.loc[~pairs["exact"], "right"]] = "type differs"
    found.iloc[exact["right"]] = "yes"
    coded_row = pd.Series(pd.NA, index=gold.index, dtype="Int64")
    coded_row.iloc[pairs["right"]] = numbers[pairs["left"].to_numpy()]
    gold_events = pd.DataFrame({"article_id": gold["article_id"], "gold_id": gold["gold_id"],
                                "required": gold["required"], "found": found, "coded_row": coded_row})
    shown = [c for c in SHOWN if c in coded.columns]
    extra = coded.iloc[fp_rows][shown].copy()
    extra.insert(0, "row", numbers[fp_rows])
    return Evaluation(
        tp=len(true_pairs), fp=len(fp_rows), fn=len(fn_gold), optional_found=int((~exact["required"]).sum()),
        by_sub_event_type=by_type, fields=field_accuracy(coded, gold, true_pairs),
        confusion=confusion, gold_events=gold_events, extra_rows=extra.reset_index(drop=True), notes=notes,
    )


def _by_sub_event_type(tp: pd.Series, fp: pd.Series, fn: pd.Series) -> pd.DataFrame:
    counts = pd.DataFrame({"tp": tp.value_counts(), "fp": fp.value_counts(), "fn": fn.value_counts()})
    counts = counts.fillna(0).astype(int).rename_axis("sub_event_type").reset_index()
    scores = [prf(*row) for row in counts[["tp", "fp", "fn"]].itertuples(index=False)]
    counts[["precision", "recall", "f1"]] = pd.DataFrame(scores, index=counts.index)
    return counts.sort_values("sub_event_type").reset_index(drop=True)


def field_accuracy(coded: pd.DataFrame, gold: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Share of matched pairs whose coded value equals the gold one, over pairs where gold gives it.

    Dates count only where gold gives a single day; places and actors compare normalised text.
    """
    ck, gk = event_keys(coded), event_keys(gold)
    cand = pd.DataFrame({"li": pairs["left"].to_numpy(), "ri": pairs["right"].to_numpy()})
    rows = []
    for label, key in FIELDS.items():
        given = gk[key].iloc[cand["ri"]].map(len).to_numpy() > 0 if len(cand) else np.zeros(0, bool)
        correct = shared_keys(cand, ck[key], gk[key]).to_numpy() if len(cand) else np.zeros(0, bool)
        compared = int(given.sum())
        hits = int((correct & given).sum())
        rows.append({"field": label, "correct": hits, "compared": compared,
                     "accuracy": _ratio(hits, compared) if compared else None})
    return pd.DataFrame(rows)
