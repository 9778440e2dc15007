"""Benchmark `eventcode code`: articles per second, the cost over one bare lexicon pass, peak memory.

Generates a corpus of news-length articles from templates (invented text: event reports, plans,
threats, aggregates, court news, background and plain filler), writes it as JSON Lines, and codes it
exactly as the command does (streaming reader -> coder -> Parquet writer) in a fresh process per
measurement, so peak memory (ru_maxrss) belongs to that run alone.

    python benchmarks/code.py                     # 10,000 articles, jobs 1 and 2, memory at 5k and 10k
    python benchmarks/code.py --articles 2000 --jobs 1 4

Reported: articles/s per job count; the ratio of coding time to one pyahocorasick pass of the
codebook's lexicon over the same texts (the floor for any rule-based coder); peak RSS at two corpus
sizes (flat means streaming works).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PLACES = [("Osh", "Kyrgyzstan"), ("Kabul", "Afghanistan"), ("Herat", "Afghanistan"),
          ("Kandahar", "Afghanistan"), ("Maiduguri", "Nigeria"), ("Kano", "Nigeria"),
          ("Mogadishu", "Somalia"), ("Gao", "Mali"), ("Nairobi", "Kenya"), ("Mombasa", "Kenya"),
          ("Basra", "Iraq"), ("Mosul", "Iraq"),
          ("Idlib", "Syria"), ("Aleppo", "Syria"), ("Peshawar", "Pakistan"), ("Quetta", "Pakistan"),
          ("Goma", "Democratic Republic of Congo"), ("Bunia", "Democratic Republic of Congo"),
          ("Ouagadougou", "Burkina Faso"), ("Djibo", "Burkina Faso")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "at least 10", "12", "about 20"]
EVENTS = [
    "On {day}, police in {place} arrested {n} suspected members of a banned group, officials said.",
    "Gunmen attacked a village near {place} on {day}, killing {n} civilians, residents said.",
    "Soldiers clashed with militants outside {place} on {day}, the army said in a statement.",
    "A roadside bomb struck a military vehicle near {place} on {day}, wounding {n} soldiers.",
    "A suicide bomber blew himself up at a checkpoint in {place} on {day}, killing {n} people.",
    "On {day}, about {n} hundred people marched peacefully through {place} to demand higher wages.",
    "Police fired tear gas to disperse protesters in {place} on {day}.",
    "Warplanes struck a market in {place} on {day}, killing {n} people, rescue workers said.",
    "On {day}, the bomb disposal squad defused an explosive device found near a school in {place}.",
    "Armed men kidnapped {n} traders on the road to {place} on {day}, their families said.",
]
NON_EVENTS = [
    "Officials said the group had been planning to attack government buildings in {place}.",
    "The militants threatened to attack police stations across the region.",
    "Since January, security forces have arrested {n} hundred people in the province, the ministry said.",
    "On {day}, a court in {place} sentenced {n} men to prison for their role in an attack in 2016.",
    "At a press conference on {day}, the governor said more troops would be sent to {place}.",
    "{place} drew international attention in 2014, when fighters abducted dozens of students.",
    "The minister warned that anyone blocking roads would be arrested.",
]
FILLER = [
    "The price of bread in {place} has risen sharply since the start of the year, traders said.",
    "The regional council met on {day} to discuss the budget for schools and roads.",
    "Farmers around {place} are preparing for the planting season after a dry winter.",
    "Aid agencies said they were distributing food to families displaced by floods last year.",
    "Analysts expect the central bank to keep interest rates unchanged at its next meeting.",
    "Local elections are scheduled for the autumn, and several parties have named their candidates.",
    "The new highway linking {place} to the capital is expected to cut travel times by half.",
    "Teachers in {place} said classrooms were overcrowded and many schools lacked textbooks.",
    "Mobile phone coverage has improved in rural districts, according to the telecoms regulator.",
    "A football tournament for young players opened in {place} on {day} with sixteen teams.",
]


def make_article(i: int, rng: random.Random) -> dict:
    place, _country = rng.choice(PLACES)
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(1500))

    def fill(template: str) -> str:
        return template.format(place=rng.choice([place, rng.choice(PLACES)[0]]), day=rng.choice(DAYS),
                               n=rng.choice(NUMS))

    sentences = [fill(rng.choice(EVENTS)) for _ in range(rng.randint(1, 3))]
    sentences += [fill(rng.choice(NON_EVENTS)) for _ in range(rng.randint(1, 2))]
    sentences += [fill(rng.choice(FILLER)) for _ in range(rng.randint(14, 20))]
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[k:k + 2]) for k in range(0, len(sentences), 2)]
    return {"id": f"bench{i:06d}", "title": f"News from {place}", "source": "Bench Wire",
            "published": published.isoformat(), "text": f"{place.upper()} - " + "\n\n".join(paragraphs)}


def write_corpus(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(make_article(i, rng)) + "\n")


def child(corpus: str, jobs: int, out: str) -> dict:
    """One measured run in this process: code the corpus to Parquet, as the command does."""
    from eventcode.coding.articles import read_articles
    from eventcode.coding.codebook import load_codebook
    from eventcode.coding.coder import assembler_for, code_articles, write_coded

    book = load_codebook()
    assembler_for(book)  # compile once before timing (the command does this before the first article)
    count = 0

    def counted():
        nonlocal count
        for article in read_articles(corpus):
            count += 1
            yield article

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    start, cpu_start = time.perf_counter(), cpu()
    rows = write_coded(code_articles(counted(), codebook=book, jobs=jobs), out, force=True)
    seconds = time.perf_counter() - start
    if jobs > 1:
        # Workers are children of the fork server, not of this process: stop (and so reap) the server,
        # so that the workers' CPU time and peak memory reach this process's RUSAGE_CHILDREN.
        from multiprocessing import forkserver

        forkserver._forkserver._stop()  # private, but the only way to reap it before exit
    cpu_seconds = cpu() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"articles": count, "rows": rows, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "peak_mb": max(peak_kb, children_kb) / 1024}


def lexicon_pass(corpus: str) -> float:
    """Seconds for one pyahocorasick pass of the codebook's lexicon over every article text."""
    import ahocorasick

    from eventcode.coding.codebook import load_codebook
    from eventcode.coding.matching import lexicon

    automaton = ahocorasick.Automaton()
    for word in lexicon(load_codebook()):
        automaton.add_word(word, word)
    automaton.make_automaton()
    texts = [json.loads(line)["text"].lower() for line in open(corpus, encoding="utf-8")]
    start = time.perf_counter()
    hits = 0
    for text in texts:
        for _ in automaton.iter(text):
            hits += 1
    return time.perf_counter() - start


def measure(corpus: Path, jobs: int, tmp: Path) -> dict:
    out = tmp / f"coded-{jobs}-{corpus.stem}.parquet"
    command = [sys.executable, __file__, "--child", str(corpus), "--jobs", str(jobs), "--out", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.jobs[0], args.out)))
        return
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        big, small = tmp / "corpus.jsonl", tmp / "half.jsonl"
        write_corpus(big, args.articles)
        write_corpus(small, args.articles // 2)
        size_mb = big.stat().st_size / 2**20
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
              "(other processes slow the wall-clock figures; CPU-seconds are not affected)")
        print(f"corpus: {args.articles} articles, {size_mb:.1f} MB of JSON Lines "
              f"(~{size_mb * 2**20 / args.articles / 6:.0f} words each)")
        floor = lexicon_pass(str(big))
        print(f"one pyahocorasick pass of the lexicon: {floor:.2f} s "
              f"({args.articles / floor:,.0f} articles/s)")
        for jobs in args.jobs:
            r = measure(big, jobs, tmp)
            rate = r["articles"] / r["seconds"]
            print(f"jobs {jobs}: {r['articles']} articles -> {r['rows']} rows in {r['seconds']:.1f} s: "
                  f"{rate:,.0f} articles/s, {r['articles'] / r['cpu_seconds']:,.0f} per CPU-second; "
                  f"{r['seconds'] / floor:,.0f}x the lexicon pass; peak {r['peak_mb']:.0f} MB")
        half = measure(small, 1, tmp)
        full = measure(big, 1, tmp)
        print(f"peak memory, jobs 1: {half['peak_mb']:.0f} MB at {half['articles']} articles, "
              f"{full['peak_mb']:.0f} MB at {full['articles']} articles")


if __name__ == "__main__":
    main()
