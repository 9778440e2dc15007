"""Benchmark: coding one long article with no paragraph breaks is linear in its length.

Generates a single-paragraph article of invented news sentences (event reports, non-events and filler
from benchmarks/code.py, plus sentences with abbreviations and initials so the pysbd path is taken),
at 50 KB and at 5 MB, and times reading (with the encoding repair) and coding each, after a warm-up
that builds the coder. Prints the time ratio time(5 MB) / time(50 KB) beside the size ratio.

    python benchmarks/long_article.py                    # 50 KB and 5 MB
    python benchmarks/long_article.py --small 20 --large 1000   # sizes in KB

Goal: the time ratio within 2x of the size ratio (linear). Before the fix, splitting rescanned the
paragraph from its start for every full stop: 200 KB took 21 s and 1 MB 505 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from pathlib import Path

ABBREVIATED = [
    "Gen. {name} told reporters in {place} that U.S. advisers had left the base on {day}.",
    "Mr. {name} said the talks would resume at 10 a.m. on {day}, according to Dr. {name}.",
    "The report by J. {name} of the U.N. mission listed {n} incidents near {place}.",
]
NAMES = ["Musa", "Khan", "Okafor", "Haidari", "Sultanov", "Diallo"]


def _templates():
    spec = importlib.util.spec_from_file_location("bench_code", Path(__file__).with_name("code.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_text(size: int, seed: int = 11) -> str:
    """One paragraph of about `size` characters: sentences joined by single spaces, no line breaks."""
    bench = _templates()
    rng = random.Random(seed)
    pools = [bench.EVENTS] * 2 + [bench.NON_EVENTS] * 2 + [bench.FILLER] * 5 + [ABBREVIATED]
    parts, length = [], 0
    while length < size:
        template = rng.choice(rng.choice(pools))
        sentence = template.format(place=rng.choice(bench.PLACES)[0], day=rng.choice(bench.DAYS),
                                   n=rng.choice(bench.NUMS), name=rng.choice(NAMES))
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def time_coding(text: str, repeat: int = 1) -> tuple[float, int]:
    """Best wall time of reading (repair included) and coding the article, and the rows it gave."""
    from eventcode.coding.articles import ArticleReader
    from eventcode.coding.coder import code_article

    best, rows = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        article = ArticleReader("2020-01-08", "Bench Wire").make(id="long", text=text, path="<bench>")
        rows = len(code_article(article).events)
        best = min(best, time.perf_counter() - start)
    return best, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=50, help="small article, KB (default 50)")
    parser.add_argument("--large", type=int, default=5000, help="large article, KB (default 5000)")
    args = parser.parse_args()
    time_coding(make_text(5_000))  # warm-up: codebook, automaton, gazetteer, pysbd
    small, large = make_text(args.small * 1000), make_text(args.large * 1000)
    t_small, rows_small = time_coding(small, repeat=5)
    t_large, rows_large = time_coding(large)
    size_ratio = len(large) / len(small)
    time_ratio = t_large / t_small
    print(f"{len(small):>10,} chars: {t_small:8.2f} s  {rows_small:>6,} rows  (best of 5)")
    print(f"{len(large):>10,} chars: {t_large:8.2f} s  {rows_large:>6,} rows")
    print(f"size ratio {size_ratio:.0f}x, time ratio {time_ratio:.0f}x: {time_ratio / size_ratio:.2f}x the "
          "size ratio (goal: <= 2x)")


if __name__ == "__main__":
    main()
