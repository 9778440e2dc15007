"""Article reading: formats, headers, defaults and the errors bad input gets."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from eventcode.coding.articles import read_articles, split_header
from eventcode.errors import InputError

BODY = "On Monday, police arrested five men in Osh.\n\nNo one was hurt."


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_text_with_header(tmp_path):
    header = "Title: Arrests\nSource: Wire\nPublished: 2019-11-20\nURL: http://x\n\n"
    f = write(tmp_path / "osh.txt", header + BODY)
    (art,) = read_articles(f)
    assert (art.id, art.title, art.source, art.url) == ("osh", "Arrests", "Wire", "http://x")
    assert art.published == date(2019, 11, 20)
    assert art.text == BODY


def test_header_only_when_followed_by_blank_line():
    header, body = split_header("Title: x\nPolice arrested five men.")
    assert header == {} and body.startswith("Title: x")


def test_published_option_fills_missing_date_but_not_stated_one(tmp_path):
    a = write(tmp_path / "a.txt", BODY)
    b = write(tmp_path / "b.txt", f"Published: 2020-01-02\n\n{BODY}")
    arts = list(read_articles([a, b], published="2021-05-05", source="Default"))
    assert [x.published for x in arts] == [date(2021, 5, 5), date(2020, 1, 2)]
    assert arts[0].source == "Default"


def test_no_date_anywhere_names_article(tmp_path):
    f = write(tmp_path / "nodate.txt", BODY)
    with pytest.raises(InputError, match="nodate.txt.*publication date.*--published"):
        list(read_articles(f))


def test_date_in_text_is_used(tmp_path):
    f = write(tmp_path / "d.txt", "KABUL, 5 May 2019 - Police arrested two men.")
    assert next(read_articles(f)).published == date(2019, 5, 5)


def test_jsonl_and_csv_records(tmp_path):
    recs = [{"id": "a1", "text": BODY, "published": "2019-01-02", "source": "S"},
            {"text": BODY, "published": "2019-01-03"}]
    j = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in recs) + "\n")
    c = write(tmp_path / "feed.csv", 'id,text,published\nc1,"Police arrested two men.",2019-02-03\n')
    arts = list(read_articles([j, c]))
    assert [a.id for a in arts] == ["a1", "feed-2", "c1"]
    assert arts[2].published == date(2019, 2, 3)


def test_bad_json_line_is_located(tmp_path):
    j = write(tmp_path / "bad.jsonl", '{"text": "x", "published": "2019-01-01"}\n{oops\n')
    with pytest.raises(InputError, match="bad.jsonl: line 2"):
        list(read_articles(j))


def test_csv_without_text_column(tmp_path):
    c = write(tmp_path / "x.csv", "id,body\n1,hello\n")
    with pytest.raises(InputError, match="no text column .text.*--text-column"):
        list(read_articles(c))


def test_empty_and_binary_inputs(tmp_path):
    with pytest.raises(InputError, match="empty"):
        list(read_articles(write(tmp_path / "e.txt", "Published: 2019-01-01\n\n  \n")))
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        list(read_articles(tmp_path / "b.txt"))


def test_other_encodings_are_detected(tmp_path):
    text = ("Published: 2019-01-01\n\nLa police a arrêté cinq hommes à Bamako, où la sécurité était "
            "renforcée après une série d'attaques. Selon le ministère, les suspects préparaient une "
            "opération près de la frontière. Les enquêteurs ont saisi des armes et des munitions "
            "dans une maison du quartier où vivaient les hommes arrêtés, a déclaré un responsable "
            "à la presse locale vendredi.")
    f = write(tmp_path / "fr.txt", text, encoding="cp1252")
    with pytest.warns(UserWarning, match="fr.txt: not UTF-8; decoded as cp1252"):
        assert "arrêté" in next(read_articles(f)).text


def test_directories_and_globs_are_sorted(tmp_path):
    for name in ("b", "a"):
        write(tmp_path / f"{name}.txt", f"Published: 2019-01-01\n\n{BODY}")
    write(tmp_path / "notes.pdf", "ignored")
    assert [a.id for a in read_articles(tmp_path)] == ["a", "b"]
    assert [a.id for a in read_articles(str(tmp_path / "*.txt"))] == ["a", "b"]
    with pytest.raises(InputError, match="no file matches"):
        list(read_articles(str(tmp_path / "*.md")))
    with pytest.raises(InputError, match="no such file"):
        list(read_articles(tmp_path / "missing.txt"))


def test_stdin(monkeypatch):
    data = f"Published: 2019-01-01\n\n{BODY}".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    (art,) = read_articles("-")
    assert art.id == "stdin" and art.text == BODY


def test_html_main_text(tmp_path):
    html = ("<html><head><title>Raid</title></head><body><nav>Home | World | Sport</nav><article>"
            "<h1>Police raid</h1><p>On Monday, police arrested five men in Osh during a raid on a house, "
            "officials said in a statement issued late in the evening.</p>"
            "<p>The men were taken to the regional police headquarters for questioning.</p></article>"
            "<footer>Copyright 2019</footer></body></html>")
    f = write(tmp_path / "raid.html", html)
    (art,) = read_articles(f, published="2019-11-20")
    assert "arrested five men in Osh" in art.text
    assert "Copyright" not in art.text and "Home | World" not in art.text
    assert "\n\n" in art.text  # paragraphs kept apart
    assert art.published.isoformat() == "2019-11-20"  # a footer's "Copyright 2019" is no publication date


def test_html_publication_date_from_page_metadata(tmp_path):
    html = ('<html><head><meta property="article:published_time" content="2020-01-08T10:00:00Z">'
            '<meta property="og:site_name" content="Osh Daily"></head><body><article><p>On Monday, police '
            "arrested five men in Osh during a raid on a house, officials said late in the evening.</p>"
            "</article></body></html>")
    (art,) = read_articles(write(tmp_path / "raid.html", html), published="2019-11-20")
    assert (art.published.isoformat(), art.source) == ("2020-01-08", "Osh Daily")


def test_reading_is_lazy(tmp_path):
    write(tmp_path / "a.txt", f"Published: 2019-01-01\n\n{BODY}")
    write(tmp_path / "b.txt", BODY)  # no date: fails only when reached
    stream = read_articles(tmp_path)
    assert next(stream).id == "a"
    with pytest.raises(InputError):
        next(stream)


def test_source_falls_back_to_the_option_then_the_url_site():
    from eventcode.coding.articles import ArticleReader

    make = ArticleReader("2020-01-05").make
    assert make(id="a", text="x", path="a.txt", url="https://www.example.org/n/1").source == "example.org"
    assert ArticleReader("2020-01-05", "Osh Daily").make(id="a", text="x", path="a.txt").source == "Osh Daily"
    assert make(id="a", text="x", path="a.txt", source="Own", url="https://x.org").source == "Own"
