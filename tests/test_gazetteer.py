"""The gazetteer build: folding, the admin1 vote, ACLED spellings, the cache (on small invented data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcode.coding import gazetteer as gz


def test_fold_keeps_length_and_drops_case_accents_hyphens():
    text = "Aqtöbe, Jalal-Abad and Apatzingán’s"
    folded = gz.fold(text)
    assert len(folded) == len(text)
    assert folded == "aqtobe, jalal abad and apatzingan's"


def test_name_key_joins_words_and_splits_possessives():
    assert gz.name_key("  Jalal-Abad ") == "jalal abad"
    assert gz.name_key("Dar'a") == "dar'a"
    assert [m.group() for m in gz.words(gz.fold("Russia's army"))] == ["russia", "s", "army"]


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def mini(tmp_path, monkeypatch):
    """Two Kazakh regions and a city-state, three Kazakh towns and a French homonym, invented coordinates."""
    root = tmp_path / "by-country"
    _write(
        root / "KZ" / "states.json",
        [
            {
                "name": "Aktobe",
                "state_code": "15",
                "type": "region",
                "latitude": "48.0",
                "longitude": "58.0",
                "iso3166_2": "KZ-15",
                "native": "Ақтөбе",
            },
            {
                "name": "West Kazakhstan",
                "state_code": "27",
                "type": "region",
                "latitude": "50.0",
                "longitude": "51.0",
                "iso3166_2": "KZ-27",
                "native": None,
            },
            {
                "name": "Almaty",
                "state_code": "19",
                "type": "region",
                "latitude": "44.5",
                "longitude": "78.0",
                "iso3166_2": "KZ-19",
                "native": None,
            },
            {
                "name": "Almaty",
                "state_code": "75",
                "type": "city",
                "latitude": "43.25",
                "longitude": "76.9",
                "iso3166_2": "KZ-75",
                "native": None,
            },
        ],
    )
    _write(
        root / "KZ" / "states" / "15" / "cities.json",
        [
            {"name": "Aktobe", "latitude": "50.28", "longitude": "57.2"},
            {"name": "Khromtau", "latitude": "50.25", "longitude": "58.44"},
        ],
    )
    _write(
        root / "KZ" / "states" / "27" / "cities.json",
        [{"name": "Oral", "latitude": "51.23", "longitude": "51.37"}],
    )
    _write(
        root / "KZ" / "states" / "19" / "cities.json",
        [{"name": "Talgar", "latitude": "43.3", "longitude": "77.24"}],
    )
    _write(
        root / "KZ" / "states" / "75" / "cities.json",
        [{"name": "Almaty", "latitude": "43.25", "longitude": "76.92"}],
    )
    cities = {
        "1": {
            "name": "Aktobe",
            "latitude": 50.28,
            "longitude": 57.21,
            "countrycode": "KZ",
            "population": 500000,
            "admin1code": "04",
            "alternatenames": ["Aqtobe", "Aktyubinsk", "Актобе", "AKX"],
        },
        "2": {
            "name": "Khromtau",
            "latitude": 50.25,
            "longitude": 58.45,
            "countrycode": "KZ",
            "population": 20000,
            "admin1code": "04",
            "alternatenames": [],
        },
        "3": {
            "name": "Oral",
            "latitude": 51.23,
            "longitude": 51.37,
            "countrycode": "KZ",
            "population": 330000,
            "admin1code": "07",
            "alternatenames": ["Uralsk", "Ural'sk"],
        },
        "4": {
            "name": "Almaty",
            "latitude": 43.25,
            "longitude": 76.92,
            "countrycode": "KZ",
            "population": 1900000,
            "admin1code": "02",
            "alternatenames": ["Alma-Ata"],
        },
        "5": {
            "name": "Talgar",
            "latitude": 43.3,
            "longitude": 77.24,
            "countrycode": "KZ",
            "population": 40000,
            "admin1code": "02",
            "alternatenames": [],
        },
        "6": {
            "name": "Oral",
            "latitude": 45.0,
            "longitude": 2.0,
            "countrycode": "FR",
            "population": 800,
            "admin1code": "84",
            "alternatenames": [],
        },
        "7": {
            "name": "Police",
            "latitude": 53.55,
            "longitude": 14.57,
            "countrycode": "PL",
            "population": 33000,
            "admin1code": "78",
            "alternatenames": [],
        },
    }
    monkeypatch.setattr(gz, "_csc_dir", lambda: root)
    monkeypatch.setattr(gz, "_geonames_cities", lambda _pop: cities)
    return gz.build_gazetteer(min_population=1000)


def _towns(g, name):
    return [g.town_name[t] for t in g.lookup(name)[3]]


def test_transliterations_reach_the_same_town_and_unit(mini):
    g = mini
    for spelling in ("Aktobe", "Aqtobe", "Aktyubinsk", "AKTOBE"):
        towns = g.lookup(spelling)[3]
        assert [g.town_name[t] for t in towns] == ["Aktobe"], spelling
        assert g.admin1_name[g.town_admin1[towns[0]]] == "Aktobe"
    # pycountry's "Aqtöbe oblysy" and the codebook's aliases name the same unit
    assert [g.admin1_name[a] for a in g.lookup("Aqtobe oblysy")[2]] == ["Aktobe"]
    assert [g.admin1_name[a] for a in g.lookup("Batys Qazaqstan")[2]] == ["West Kazakhstan"]
    uralsk = g.lookup("Uralsk")[3]
    assert g.admin1_name[g.town_admin1[uralsk[0]]] == "West Kazakhstan"


def test_city_state_and_province_are_different_units(mini):
    g = mini
    almaty = g.lookup("Almaty")[3]
    assert g.admin1_name[g.town_admin1[almaty[0]]] == "Almaty City"
    talgar = g.lookup("Talgar")[3]
    assert g.admin1_name[g.town_admin1[talgar[0]]] == "Almaty"


def test_filters_codes_small_towns_and_stop_words(mini):
    g = mini
    assert g.lookup("AKX") == ([], [], [], [])  # all-capital alternate names are codes, not names
    assert _towns(g, "Oral") == ["Oral"]  # the French hamlet under min_population is left out
    assert _towns(g, "Police") == []  # a common English word never names a town
    assert g.lookup("Kazakhstan")[0] == [g.countries.index("Kazakhstan")]
    assert g.lookup("Kazakh")[1] == [g.countries.index("Kazakhstan")]


def test_find_is_one_pass_over_words(mini):
    g = mini
    text = "Protests in Alma-Ata and Uralsk."
    hits = [(text[s:e], towns) for s, e, (_c, _d, _a, towns) in g.find(gz.fold(text)) if towns]
    assert [h[0] for h in hits] == ["Alma-Ata", "Uralsk"]


def test_cache_is_written_once_and_reloaded(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODE_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    def fake_build(min_population):
        calls.append(min_population)
        return mini

    monkeypatch.setattr(gz, "build_gazetteer", fake_build)
    gz.load_gazetteer.cache_clear()
    try:
        first = gz.load_gazetteer(1234)
        gz.load_gazetteer.cache_clear()
        second = gz.load_gazetteer(1234)
    finally:
        gz.load_gazetteer.cache_clear()
    assert calls == [1234]
    assert gz.cache_path(1234).exists()
    assert second.town_name == first.town_name


def test_broken_cache_is_rebuilt(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODE_CACHE_DIR", str(tmp_path))
    gz.cache_path(999).write_bytes(b"not a pickle")
    monkeypatch.setattr(gz, "build_gazetteer", lambda _p: mini)
    gz.load_gazetteer.cache_clear()
    try:
        assert gz.load_gazetteer(999).town_name == mini.town_name
    finally:
        gz.load_gazetteer.cache_clear()


def test_cache_name_follows_the_naming_data(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODE_CACHE_DIR", str(tmp_path))
    names = tmp_path / "names.yaml"
    names.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(gz, "NAMES_FILE", names)
    before = gz.cache_path(1000)
    names.write_text("a: 2\n", encoding="utf-8")
    assert gz.cache_path(1000) != before


def test_parallel_first_uses_build_once(mini, tmp_path, monkeypatch):
    import threading
    import time

    monkeypatch.setenv("EVENTCODE_CACHE_DIR", str(tmp_path))
    calls = []

    def slow_build(min_population):
        calls.append(min_population)
        time.sleep(0.3)
        return mini

    monkeypatch.setattr(gz, "build_gazetteer", slow_build)
    load = gz.load_gazetteer.__wrapped__  # bypass the in-process memo: two "processes"
    results = []
    threads = [threading.Thread(target=lambda: results.append(load(555))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [555]
    assert [r.town_name for r in results] == [mini.town_name, mini.town_name]


def test_index_keys_add_the_spelling_without_apostrophes():
    assert gz.index_keys("Ma'rib") == {"ma'rib", "marib"}
    assert gz.index_keys("Sana’a") == {"sana'a", "sanaa"}
    assert gz.index_keys("Kabul") == {"kabul"}
