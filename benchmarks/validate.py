"""Benchmark eventcode validation against reading the CSV with pyarrow, and against frictionless-py.

Generates N realistic ACLED-style rows (default 1,000,000) as CSV in a temporary directory, then measures,
each in its own subprocess so peak memory (ru_maxrss) belongs to one measurement:
  - pyarrow.csv.read_csv of the file (the baseline: the least any validator must spend reading it);
  - eventcode read + validate of the same file, and the ratio to the baseline (goal <= 3x);
  - frictionless-py validation of 100k rows vs eventcode on the same 100k rows (goal: speed-up >= 20x).
Prints a Markdown table.

usage: python benchmarks/validate.py [--rows N] [--small-rows N] [--skip-frictionless] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

# (country, iso, iso3, region, lat, lon, admin1) — real places so the bounds checks pass
PLACES = [
    ("Kazakhstan", 398, "KAZ", "Caucasus and Central Asia", 43.34, 52.86, "Mangystau"),
    ("Kazakhstan", 398, "KAZ", "Caucasus and Central Asia", 43.25, 76.95, "Almaty"),
    ("Nigeria", 566, "NGA", "Western Africa", 6.60, 3.35, "Lagos"),
    ("Nigeria", 566, "NGA", "Western Africa", 11.85, 13.16, "Borno"),
    ("Syria", 760, "SYR", "Middle East", 36.20, 37.16, "Aleppo"),
    ("Mexico", 484, "MEX", "North America", 19.43, -99.13, "Ciudad de Mexico"),
    ("Kyrgyzstan", 417, "KGZ", "Caucasus and Central Asia", 42.87, 74.59, "Bishkek"),
    ("Ukraine", 804, "UKR", "Europe", 50.45, 30.52, "Kyiv"),
    ("India", 356, "IND", "South Asia", 28.61, 77.21, "Delhi"),
    ("Brazil", 76, "BRA", "South America", -23.55, -46.63, "Sao Paulo"),
]
# (event_type, sub_event_type, disorder, actor1 template, inter1, actor2 template or None, inter2)
KINDS = [
    ("Protests", "Peaceful protest", "Demonstrations", "Protesters ({c})", "Protesters", None, None),
    ("Riots", "Violent demonstration", "Demonstrations", "Rioters ({c})", "Rioters",
     "Police Forces of {c} (2019-)", "State forces"),
    ("Violence against civilians", "Attack", "Political violence", "Unidentified Armed Group ({c})",
     "Political militia", "Civilians ({c})", "Civilians"),
    ("Battles", "Armed clash", "Political violence", "Military Forces of {c} (2019-)", "State forces",
     "Unidentified Armed Group ({c})", "Political militia"),
    ("Strategic developments", "Arrests", "Strategic developments", "Police Forces of {c} (2019-)",
     "State forces", "Civilians ({c})", "Civilians"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence", "Military Forces of {c} (2019-)",
     "State forces", None, None),
]
INTER_CODES = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
               "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8}


def interaction(a: str, b: str | None) -> str:
    if b is None:
        return f"{a} only"
    low, high = sorted((a, b), key=INTER_CODES.__getitem__)
    return f"{low}-{high}"


def generate(rows: int, seed: int = 7, error_rate: float = 0.001) -> pa.Table:
    """N ACLED-style rows built column-wise with numpy (a million rows in a few seconds).

    Realistic where it matters for speed: every note is different, there are thousands of locations
    and hundreds of actor names, and about `error_rate` of the rows carry one mistake a hand coder
    makes (a misspelt event type, an unreadable date, swapped coordinates ...), so the report is built
    at scale too.
    """
    rng = np.random.default_rng(seed)
    place = rng.integers(0, len(PLACES), rows)
    kind = rng.integers(0, len(KINDS), rows)
    days = rng.integers(0, 365 * 8, rows)
    dates = (np.datetime64("2016-01-01") + days.astype("timedelta64[D]"))
    date_text = np.datetime_as_string(dates, unit="D")
    years = dates.astype("datetime64[Y]").astype(int) + 1970

    def pick(table: list, column: int, index: np.ndarray) -> np.ndarray:
        return np.array([row[column] for row in table], dtype=object)[index]

    def numbered(prefix: str, count: int, size: int) -> np.ndarray:
        return np.char.add(prefix, rng.integers(1, count + 1, size).astype(str)).astype(object)

    country = pick(PLACES, 0, place)
    combos = {}
    for k, (_, _, _, a1, i1, a2, i2) in enumerate(KINDS):
        for p, (c, *_rest) in enumerate(PLACES):
            combos[(k, p)] = (a1.format(c=c), a2.format(c=c) if a2 else None, interaction(i1, i2),
                              "Civilian targeting" if i2 == "Civilians" else None)
    combo_index = kind * len(PLACES) + place
    combo_table = [combos[(k, p)] for k in range(len(KINDS)) for p in range(len(PLACES))]
    actor1 = np.array([c[0] for c in combo_table], dtype=object)[combo_index]
    militia = np.char.startswith(actor1.astype(str), "Unidentified Armed Group")
    named = militia & (rng.random(rows) < 0.5)  # half the armed groups are named: hundreds of names
    actor1[named] = numbered("Armed Group ", 400, int(named.sum()))
    admin1 = pick(PLACES, 6, place)
    location = np.char.add(np.char.add(admin1.astype(str), " - "),
                           numbered("Village ", 5000, rows).astype(str)).astype(object)
    jitter_lat = rng.uniform(-0.2, 0.2, rows).round(4)
    jitter_lon = rng.uniform(-0.2, 0.2, rows).round(4)
    crowd = rng.integers(10, 5000, rows).astype(str)
    notes = np.char.add(np.char.add(np.char.add(np.char.add("On ", date_text.astype(str)), ", about "),
                                    crowd), np.char.add(" people gathered in ", location.astype(str)))
    notes = np.char.add(notes, "; police reported the event. No further details were given by the sources "
                               "at the time.")
    columns = {
        "event_id_cnty": np.char.add(pick(PLACES, 2, place).astype(str),
                                     (np.arange(rows) + 1000).astype(str)).astype(object),
        "event_date": date_text.astype(object),
        "year": years,
        "time_precision": rng.choice([1, 1, 1, 2, 3], rows),
        "disorder_type": pick(KINDS, 2, kind),
        "event_type": pick(KINDS, 0, kind),
        "sub_event_type": pick(KINDS, 1, kind),
        "actor1": actor1,
        "assoc_actor_1": np.where(rng.random(rows) < 0.3, numbered("Labour Group ", 60, rows), None),
        "inter1": pick(KINDS, 4, kind),
        "actor2": np.array([c[1] for c in combo_table], dtype=object)[combo_index],
        "assoc_actor_2": np.full(rows, None, dtype=object),
        "inter2": pick(KINDS, 6, kind),
        "interaction": np.array([c[2] for c in combo_table], dtype=object)[combo_index],
        "civilian_targeting": np.array([c[3] for c in combo_table], dtype=object)[combo_index],
        "iso": pick(PLACES, 1, place).astype(int),
        "region": pick(PLACES, 3, place),
        "country": country,
        "admin1": admin1,
        "admin2": np.char.add(admin1.astype(str),
                              numbered(" District ", 40, rows).astype(str)).astype(object),
        "admin3": np.full(rows, None, dtype=object),
        "location": location,
        "latitude": (pick(PLACES, 4, place).astype(float) + jitter_lat).round(4),
        "longitude": (pick(PLACES, 5, place).astype(float) + jitter_lon).round(4),
        "geo_precision": rng.choice([1, 1, 2, 3], rows),
        "source": rng.choice(["Reuters", "AFP; Reuters", "Local media", "Kazinform; Tengrinews"], rows),
        "source_scale": rng.choice(["National", "International", "National-International", "Subnational"],
                                   rows),
        "notes": notes.astype(object),
        "fatalities": rng.choice([0, 0, 0, 1, 2, 5], rows),
        "tags": np.where(rng.random(rows) < 0.2, "crowd size=around 100", None),
        "timestamp": rng.integers(1_600_000_000, 1_700_000_000, rows),
    }
    _plant_errors(columns, rng, error_rate)
    return pa.table({name: pa.array(values) for name, values in columns.items()})


# (column, wrong value) a hand coder writes; numbers stay numbers so the column keeps its type
MISTAKES = [("event_type", "Violence against civilian"), ("event_date", "31/02/2019"),
            ("sub_event_type", "Peacefull protest"), ("inter1", "State Forces"), ("year", 2051),
            ("fatalities", -1), ("source", "Reuters;AFP"), ("disorder_type", "Demonstrations ")]


def _plant_errors(columns: dict[str, np.ndarray], rng: np.random.Generator, rate: float) -> None:
    """One mistake in about `rate` of the rows (a fixed seed, so every tool sees the same file)."""
    rows = len(columns["event_id_cnty"])
    chosen = np.flatnonzero(rng.random(rows) < rate)
    for n, row in enumerate(chosen):
        column, wrong = MISTAKES[n % len(MISTAKES)]
        if columns[column].dtype != object:
            columns[column] = columns[column].astype(object if isinstance(wrong, str) else
                                                     columns[column].dtype)
        columns[column][row] = wrong
    if len(chosen):  # and swapped coordinates in a few
        swap = chosen[::7]
        lat = columns["latitude"][swap].copy()
        columns["latitude"][swap] = columns["longitude"][swap]
        columns["longitude"][swap] = lat


def write_csv(table: pa.Table, path: Path) -> None:
    pacsv.write_csv(table, path)


# -- measurements (each runs in a fresh interpreter) ------------------------------------------------
def _peak_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over from
    the parent through fork and exec, so every child would report the generator's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best_of(repeat: int, run):  # type: ignore[no-untyped-def]
    """Fastest of `repeat` runs: the least disturbed by whatever else the machine is doing."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        result = None  # free the previous run's output first, so peak memory is one run's
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure_pyarrow(path: str, repeat: int = 1) -> dict:
    seconds, table = _best_of(repeat, lambda: pacsv.read_csv(path))
    return {"seconds": seconds, "rows": table.num_rows, "peak_mib": _peak_mib()}


def measure_eventcode(path: str, repeat: int = 1) -> dict:
    import eventcode.validation as validation  # import outside the timing, like pyarrow's

    # warm up: pandera imports its backends on first use
    validation.validate(generate(10, error_rate=0).to_pandas())
    seconds, result = _best_of(repeat, lambda: validation.validate(path))
    return {"seconds": seconds, "rows": result.report.rows, "problems": len(result.report),
            "peak_mib": _peak_mib()}


def measure_frictionless(path: str, repeat: int = 1) -> dict:
    import frictionless

    from eventcode.schema import load_schema

    schema = frictionless.Schema.from_descriptor(table_schema(load_schema()))
    os.chdir(Path(path).parent)  # frictionless refuses absolute paths as unsafe
    start = time.perf_counter()
    report = frictionless.validate(Path(path).name, schema=schema, limit_errors=10**9)
    seconds = time.perf_counter() - start
    rows = report.tasks[0].stats.get("rows") if report.tasks else None
    return {"seconds": seconds, "rows": rows, "problems": len(report.flatten(["rowNumber"])),
            "peak_mib": _peak_mib()}


def table_schema(schema) -> dict:  # type: ignore[no-untyped-def]
    """The same column rules as a Frictionless Table Schema, so both tools check the same things."""
    types = {"string": "string", "category": "string", "date": "date", "int32": "integer",
             "int64": "integer", "float64": "number"}
    fields = []
    for col in schema.acled_names:
        column = schema.by_name[col]
        constraints: dict = {}
        if column.required and not column.nullable:
            constraints["required"] = True
        if column.allowed is not None:
            constraints["enum"] = list(column.allowed)
        if column.pattern:
            constraints["pattern"] = column.pattern.strip("^$")
        if column.min is not None:
            constraints["minimum"] = column.min
        if column.max is not None:
            constraints["maximum"] = column.max
        if column.unique:
            constraints["unique"] = True
        fields.append({"name": col, "type": types[column.type], "constraints": constraints})
    return {"fields": fields}


MEASURES = {"pyarrow": measure_pyarrow, "eventcode": measure_eventcode, "frictionless": measure_frictionless}


def run_measure(kind: str, path: Path, repeat: int = 1) -> dict:
    """One measurement in a subprocess (best of `repeat` runs); returns its JSON result."""
    done = subprocess.run([sys.executable, __file__, "--measure", kind, str(path), "--repeat", str(repeat)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} measurement failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000,
                        help="rows for the frictionless comparison")
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--repeat", type=int, default=3,
                        help="time pyarrow and eventcode as the best of this many runs (frictionless: 1)")
    parser.add_argument("--keep", type=Path, help="write the generated CSVs here instead of a temp dir")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, path = args.measure
        print(json.dumps(MEASURES[kind](path, args.repeat)))
        return

    with tempfile.TemporaryDirectory(prefix="eventcode-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        big = folder / f"acled-{args.rows}.csv"
        small = folder / f"acled-{args.small_rows}.csv"
        start = time.perf_counter()
        table = generate(max(args.rows, args.small_rows))
        write_csv(table.slice(0, args.rows), big)
        write_csv(table.slice(0, args.small_rows), small)
        print(f"generated {args.rows:,} rows ({big.stat().st_size / 2**20:,.0f} MiB) and "
              f"{args.small_rows:,} rows in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        del table

        results = []
        arrow = run_measure("pyarrow", big, args.repeat)
        ours = run_measure("eventcode", big, args.repeat)
        results.append((f"pyarrow.csv.read_csv, {args.rows:,} rows", arrow, "baseline"))
        results.append((f"eventcode read + validate, {args.rows:,} rows", ours,
                        f"{ours['seconds'] / arrow['seconds']:.1f}x pyarrow (goal <= 3x)"))
        if not args.skip_frictionless:
            ours_small = run_measure("eventcode", small, args.repeat)
            theirs = run_measure("frictionless", small)
            results.append((f"eventcode read + validate, {args.small_rows:,} rows", ours_small, ""))
            results.append((f"frictionless validate, {args.small_rows:,} rows", theirs,
                            f"eventcode {theirs['seconds'] / ours_small['seconds']:.0f}x faster "
                            "(goal >= 20x)"))
    print("| measurement | seconds | rows/s | peak MiB | problems | note |")
    print("|---|---:|---:|---:|---:|---|")
    for name, r, note in results:
        rate = (r["rows"] or 0) / r["seconds"] if r["seconds"] else 0
        print(f"| {name} | {r['seconds']:.2f} | {rate:,.0f} | {r['peak_mib']:,.0f} | "
              f"{r.get('problems', '')} | {note} |")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load} at the end; "
          f"pyarrow and eventcode: best of {args.repeat} runs, each measurement in its own process; "
          "peak MiB = that process's VmHWM. The frictionless ratio falls when the machine is busy: "
          "eventcode uses both cores, frictionless one)")


if __name__ == "__main__":
    main()
