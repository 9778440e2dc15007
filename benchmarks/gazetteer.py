"""Benchmark the gazetteer and place resolver: one-time build, first-use load, resolve throughput, memory.

Each measurement runs in its own subprocess so its peak memory (ru_maxrss) is its own:
  - build: compile the gazetteer from package data into a fresh cache directory (once per install);
  - load: first use in a new process after the build (unpickle the cache; goal < 1 s, < 200 MB);
  - resolve: PlaceResolver.resolve over N invented event sentences naming places in 20 countries;
  - article_country: the whole-article scan, over articles of 40 of those sentences each (the coder runs it
    once per article that has a candidate event).
Prints a Markdown table.

usage: python benchmarks/gazetteer.py [--sentences N] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

SENTENCES = [
    ("Police detained two men in Aqtobe on Monday.", "Kazakhstan"),
    ("A rally took place in Uralsk, the regional capital.", "Kazakhstan"),
    ("In Jalal-Abad Province on November 14, security forces arrested five more suspects.", "Kyrgyzstan"),
    ("Four more suspects were detained in Dushanbe on September 28.", "Tajikistan"),
    ("Taliban fighters overran the centre of Qaysar district in Faryab province.", "Afghanistan"),
    ("A bomb hidden in a motorcycle went off near a convoy in Bannu, Khyber Pakhtunkhwa.", "Pakistan"),
    ("Insurgents attacked Kautikari village in Chibok local government area of Borno State.", "Nigeria"),
    ("Warplanes struck the town of Khan Sheikhoun in southern Idlib province.", "Syria"),
    ("Protesters clashed with police outside the provincial council building in Basra.", "Iraq"),
    ("Russian forces shelled the village of Bilozerka in Kherson region.", "Ukraine"),
    ("The governor of Belgorod region said a drone hit the town of Shebekino.", "Russia"),
    (
        "ADF combatants abducted about 20 people near Mamove in Beni territory.",
        "Democratic Republic of Congo",
    ),
    ("Demonstrators burned tyres in the western city of Kisumu.", "Kenya"),
    ("Gunmen kidnapped two employees of a company in Apatzingán.", "Mexico"),
    ("A village chief was killed in Gaskinde, about 30 kilometres from Djibo.", "Burkina Faso"),
    ("A car bomb exploded at a checkpoint in Mogadishu.", "Somalia"),
    ("Fighting was reported in Mekelle.", "Ethiopia"),
    ("Riots broke out in Hyderabad after the verdict.", "India"),
    ("Separatists attacked a school in Bamenda.", "Cameroon"),
    ("Security forces fired on protesters in Zahedan.", "Iran"),
    ("Nothing in this sentence names a place at all.", "Kazakhstan"),
]

_CHILD = r"""
import json, resource, sys, time
mode, n = sys.argv[1], int(sys.argv[2])
from eventcode.coding import gazetteer
t0 = time.perf_counter()
if mode == "build":
    g = gazetteer.build_gazetteer()
    gazetteer.write_gazetteer(g, gazetteer.cache_path())
    out = {"seconds": time.perf_counter() - t0, "towns": len(g.town_name), "names": len(g.index),
           "admin1": len(g.admin1_name), "mb_on_disk": gazetteer.cache_path().stat().st_size / 1e6}
elif mode == "load":
    from eventcode.coding.places import PlaceResolver
    PlaceResolver.default()
    out = {"seconds": time.perf_counter() - t0}
elif mode == "article_country":
    from eventcode.coding.model import Article
    from eventcode.coding.places import PlaceResolver
    r = PlaceResolver.default()
    sentences = [s for s, _c in json.loads(sys.stdin.read())]
    articles = [Article(id=str(i), text=" ".join(sentences[(i + k * 7) % len(sentences)] for k in range(40)))
                for i in range(n)]
    t1 = time.perf_counter()
    found = sum(r.article_country(a) is not None for a in articles)
    dt = time.perf_counter() - t1
    out = {"seconds": dt, "per_second": n / dt, "found": found, "n": n}
else:
    from eventcode.coding.places import PlaceResolver
    r = PlaceResolver.default()
    sentences = json.loads(sys.stdin.read())
    t1 = time.perf_counter()
    found = 0
    for i in range(n):
        text, country = sentences[i % len(sentences)]
        found += r.resolve(text, country=country, carried=None) is not None
    dt = time.perf_counter() - t1
    out = {"seconds": dt, "per_second": n / dt, "found": found, "n": n}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _run(mode: str, n: int, env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(n)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=json.dumps(SENTENCES),
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000, help="sentences to resolve")
    parser.add_argument("--cache-dir", help="cache directory to build into (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, EVENTCODE_CACHE_DIR=args.cache_dir or tmp)
        build = _run("build", 0, env)
        load = _run("load", 0, env)
        resolve = _run("resolve", args.sentences, env)
        scan = _run("article_country", max(args.sentences // 20, 1), env)
    print("| measurement | time | peak RSS | notes |")
    print("|---|---|---|---|")
    print(
        f"| one-time build | {build['seconds']:.1f} s | {build['peak_mb']:.0f} MB | "
        f"{build['towns']:,} towns, {build['admin1']:,} admin1, {build['names']:,} names, "
        f"{build['mb_on_disk']:.1f} MB cache |"
    )
    print(f"| first use after build | {load['seconds']:.2f} s | {load['peak_mb']:.0f} MB | load + resolver |")
    print(
        f"| resolve | {resolve['per_second']:,.0f} sentences/s | {resolve['peak_mb']:.0f} MB | "
        f"{resolve['n']:,} sentences, {resolve['found']:,} with a place |"
    )
    print(
        f"| article_country | {scan['per_second']:,.0f} articles/s | {scan['peak_mb']:.0f} MB | "
        f"{scan['n']:,} articles of 40 sentences |"
    )


if __name__ == "__main__":
    main()
