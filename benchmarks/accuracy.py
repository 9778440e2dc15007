"""Benchmark the coder's accuracy on real text: ACLED's own notes and the project's devset.

Each row of `../shared/acled-dev/acled-2022-sample.csv` is a real ACLED event with the note an ACLED
coder wrote. The note is coded as an article (published three days after event_date, with the row's
source) and the first coded row (by evidence offset) is compared with ACLED's row. The devset's
articles are coded and scored against their gold codings with `eventcode.evaluate`, which agrees with
`../shared/score.py`.

    python benchmarks/accuracy.py                    # all 4,687 notes and the devset
    python benchmarks/accuracy.py --per-type 40      # a quick stratified sample: 40 notes per type
    python benchmarks/accuracy.py --details /tmp/acc.csv   # one line per note, for reading the misses
    python benchmarks/accuracy.py --case lower       # the same texts lower-cased (an archive without case)

Nothing from ../shared is written into the repository; --details writes where you point it.
Skips with a message (exit 0) when ../shared is absent, as on a user's clone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from datetime import timedelta
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent / "shared"
SAMPLE = "acled-dev/acled-2022-sample.csv"
FIELDS = ["sub_event_type", "event_type", "country", "admin1", "location", "fatalities", "inter1", "actor1"]
GOALS = {"sub_event_type": 0.90, "type_mean": 0.80, "no_row": 0.03, "country": 0.98, "admin1": 0.90,
         "fatalities": 0.90, "inter1": 0.85, "devset_f1": 0.95}
# ACLED's older export writes inter codes as numbers
INTER = {"1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
         "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces"}
PLACE_WORDS = re.compile(r"\b(province|oblast|region|governorate|state|district|department|division|"
                         r"county|municipality|city|prefecture)\b")


def norm(value: object) -> str:
    """Case, accents, hyphens and words like 'Province' ignored, as the shared scorer does."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().casefold()
    return " ".join(PLACE_WORDS.sub(" ", text.replace("-", " ")).split())


def load_notes(shared: Path, per_type: int | None, seed: int) -> pd.DataFrame:
    rows = pd.read_csv(shared / SAMPLE, dtype=str, keep_default_na=False)
    if per_type:
        rows = rows.sample(frac=1, random_state=seed).groupby("sub_event_type").head(per_type)
    return rows.reset_index(drop=True)


CASES = {"as-is": lambda t: t, "lower": str.lower, "upper": str.upper}


def code_notes(rows: pd.DataFrame, jobs: int, case: str = "as-is") -> pd.DataFrame:
    """The first coded row of every note, indexed by event_id_cnty (notes with no row are absent)."""
    from eventcode.coding.coder import code_articles
    from eventcode.coding.model import Article

    published = pd.to_datetime(rows["event_date"]) + timedelta(days=3)
    recase = CASES[case]
    articles = [Article(id=i, text=recase(t), source=s or "ACLED", published=p.date(), path=SAMPLE)
                for i, t, s, p in zip(rows["event_id_cnty"], rows["notes"], rows["source"], published,
                                      strict=True)]
    frames = list(code_articles(articles, jobs=jobs))
    if not frames:
        return pd.DataFrame(columns=["article_id", *FIELDS])
    coded = pd.concat(frames, ignore_index=True)
    coded["article_id"] = coded["article_id"].astype(str)
    coded = coded.sort_values(["article_id", "evidence_start"], kind="stable")
    return coded.groupby("article_id", sort=False).first()


def compare(rows: pd.DataFrame, first: pd.DataFrame) -> pd.DataFrame:
    """One line per note: ACLED's value and the coder's for every field, and whether they agree."""
    ids = rows["event_id_cnty"]
    got = first.reindex(ids)
    out = pd.DataFrame({"event_id_cnty": ids.to_numpy(), "coded": ids.isin(first.index).to_numpy(),
                        "gold_sub_event_type": rows["sub_event_type"].to_numpy(),
                        "notes": rows["notes"].to_numpy()})
    gold = {
        "sub_event_type": rows["sub_event_type"], "event_type": rows["event_type"],
        "country": rows["country"].map(norm), "admin1": rows["admin1"].map(norm),
        "location": rows["location"].map(norm),
        "fatalities": pd.to_numeric(rows["fatalities"], errors="coerce"),
        "inter1": rows["inter1"].str.split(".").str[0].map(lambda c: INTER.get(c, c)),
        "actor1": rows["actor1"].map(norm),
    }
    pred = {
        "sub_event_type": got["sub_event_type"].astype(object),
        "event_type": got["event_type"].astype(object),
        "country": got["country"].map(norm), "admin1": got["admin1"].map(norm),
        "location": got["location"].map(norm),
        "fatalities": pd.to_numeric(got["fatalities"], errors="coerce"),
        "inter1": got["inter1"].astype(object), "actor1": got["actor1"].map(norm),
    }
    for name in FIELDS:
        g, p = pd.Series(gold[name]).to_numpy(), pd.Series(pred[name]).to_numpy()
        out[f"gold_{name}"] = g
        out[f"coded_{name}"] = p
        out[f"ok_{name}"] = (pd.Series(g) == pd.Series(p)).to_numpy() & out["coded"].to_numpy()
    return out


def summarise(detail: pd.DataFrame) -> dict:
    ok = [f"ok_{f}" for f in FIELDS]
    by_type = detail.groupby("gold_sub_event_type")[ok].mean()
    by_type.columns = FIELDS
    by_type.insert(0, "notes", detail.groupby("gold_sub_event_type").size())
    by_type["no_row"] = 1 - detail.groupby("gold_sub_event_type")["coded"].mean()
    overall = {f: float(detail[f"ok_{f}"].mean()) for f in FIELDS}
    overall["type_mean"] = float(by_type["sub_event_type"].mean())
    overall["no_row"] = float(1 - detail["coded"].mean())
    coded_label = detail["coded_sub_event_type"].where(detail["coded"], "(no row)")
    mixed = detail[coded_label != detail["gold_sub_event_type"]]
    confusions = (pd.DataFrame({"acled": mixed["gold_sub_event_type"], "coded": coded_label[mixed.index]})
                  .value_counts().head(15).rename("notes").reset_index())
    return {"notes": len(detail), "overall": overall, "by_type": by_type, "confusions": confusions}


def score_devset(shared: Path, jobs: int, case: str = "as-is") -> dict | None:
    from dataclasses import replace

    from eventcode.coding.coder import code_articles, read_articles
    from eventcode.evaluate import evaluate
    from eventcode.gold import load_gold

    dev = shared / "devset"
    if not (dev / "articles").is_dir():
        return None
    articles = read_articles(sorted((dev / "articles").glob("*.txt")))
    recase = CASES[case]
    frames = list(code_articles([replace(a, text=recase(a.text)) for a in articles], jobs=jobs))
    coded = pd.concat(frames, ignore_index=True)
    result = evaluate(coded, load_gold(sorted((dev / "gold").glob("*.yaml"))))
    return {"precision": result.precision, "recall": result.recall, "f1": result.f1,
            "tp": result.tp, "fp": result.fp, "fn": result.fn}


def report(summary: dict, devset: dict | None, seconds: float) -> str:
    o = summary["overall"]
    lines = [f"ACLED notes: {summary['notes']} coded in {seconds:.1f} s", "",
             "field              accuracy  goal"]
    for name in ["sub_event_type", "type_mean", *FIELDS[1:], "no_row"]:
        goal = GOALS.get(name)
        sign = "<=" if name == "no_row" else ">="
        label = "sub_event_type (mean of types)" if name == "type_mean" else name
        lines.append(f"{label:<18} {o[name]:8.3f}  {'' if goal is None else f'{sign} {goal:.2f}'}")
    table = summary["by_type"].copy()
    lines += ["", "By ACLED sub-event type (share of notes whose first coded row agrees):",
              table.round(2).to_string()]
    lines += ["", "Most common confusions (ACLED's type -> the coder's first row):",
              summary["confusions"].to_string(index=False)]
    if devset is not None:
        lines += ["", f"devset: precision {devset['precision']:.3f} recall {devset['recall']:.3f} "
                      f"F1 {devset['f1']:.3f} (tp {devset['tp']} fp {devset['fp']} fn {devset['fn']}; "
                      f"goal F1 >= {GOALS['devset_f1']:.2f})"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("EVENTCODE_SHARED", DEFAULT_SHARED)))
    parser.add_argument("--per-type", type=int, default=None, help="notes per sub-event type (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-devset", action="store_true")
    parser.add_argument("--details", type=Path, help="write one line per note (CSV) here")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--case", choices=sorted(CASES), default="as-is",
                        help="code the texts as they are, lower-cased or in capitals")
    args = parser.parse_args(argv)
    if not (args.shared / SAMPLE).is_file():
        print(f"skipped: {args.shared / SAMPLE} is not here (../shared is only beside a developer's clone)")
        return 0
    rows = load_notes(args.shared, args.per_type, args.seed)
    began = time.perf_counter()
    detail = compare(rows, code_notes(rows, args.jobs, args.case))
    seconds = time.perf_counter() - began
    summary = summarise(detail)
    devset = None if args.no_devset else score_devset(args.shared, args.jobs, args.case)
    if args.details:
        detail.to_csv(args.details, index=False)
    if args.format == "json":
        out = {"notes": summary["notes"], "overall": summary["overall"], "devset": devset,
               "by_type": summary["by_type"].reset_index().to_dict(orient="records"),
               "confusions": summary["confusions"].to_dict(orient="records")}
        print(json.dumps(out, indent=2, default=float))
    else:
        print(report(summary, devset, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
