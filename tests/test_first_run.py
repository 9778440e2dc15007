"""The first run says why it is slow: the place index is built once, with one line on stderr."""

from __future__ import annotations

from eventcode.coding import gazetteer as gz


def test_building_the_place_index_says_so_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVENTCODE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gz, "build_gazetteer", lambda _p: gz.Gazetteer.__new__(gz.Gazetteer))
    monkeypatch.setattr(gz, "write_gazetteer", lambda gaz, path: path.write_bytes(b"x"))
    gz.load_gazetteer.cache_clear()
    try:
        gz.load_gazetteer(4321)
        first = capsys.readouterr()
        assert first.err == "eventcode: building the place index, once, about 20 s\n" and first.out == ""
        monkeypatch.setattr(gz, "_read_cache", lambda path: "cached")
        gz.load_gazetteer.cache_clear()
        assert gz.load_gazetteer(4321) == "cached"
        assert capsys.readouterr().err == ""  # a built index is loaded quietly
    finally:
        gz.load_gazetteer.cache_clear()
