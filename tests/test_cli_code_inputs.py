"""`eventcode code` on input as users have it: stdin formats, named columns, XLSX, strict dates,
per-line encodings and bad records that cost one record, not the run."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from eventcode.cli import cli

TEXT = "Police arrested two men in Osh on Monday."


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def rec(i, **extra):
    return {"id": f"a{i}", "text": TEXT, "source": "Osh Daily", "published": "2020-01-08", **extra}


def coded(path):
    return pd.read_csv(path, keep_default_na=False, dtype=str)


# -- 1. inputs as users have them ---------------------------------------------------------------------
def test_jsonl_on_stdin_is_detected(tmp_path):
    feed = "".join(json.dumps(rec(i)) + "\n" for i in (1, 2))
    result = run("code", "-", "-o", tmp_path / "out.csv", input=feed.encode())
    assert result.exit_code == 0, result.output
    assert sorted(set(coded(tmp_path / "out.csv")["article_id"])) == ["a1", "a2"]


def test_csv_on_stdin_is_detected(tmp_path):
    data = f'id,source,published,text\nc1,Osh Daily,2020-01-08,"{TEXT}"\nc2,Osh Daily,2020-01-08,"{TEXT}"\n'
    result = run("code", "-", "-o", tmp_path / "out.csv", input=data.encode())
    assert result.exit_code == 0, result.output
    assert sorted(set(coded(tmp_path / "out.csv")["article_id"])) == ["c1", "c2"]
    assert "Coded 2 article(s)" in result.output


def test_plain_text_with_commas_on_stdin_stays_text(tmp_path):
    data = f"Title: Raids, arrests\nSource: Osh Daily\nPublished: 2020-01-08\n\n{TEXT}\n"
    result = run("code", "-", "-o", tmp_path / "out.csv", input=data.encode())
    assert result.exit_code == 0, result.output
    assert set(coded(tmp_path / "out.csv")["article_id"]) == {"stdin"}


def test_input_format_overrides_detection(tmp_path):
    # a CSV whose text column is called body is not detected as CSV; --input-format says it is
    data = f'key,body\nk1,"{TEXT}"\n'
    args = ("code", "-", "-o", tmp_path / "out.csv", "--published", "2020-01-08", "--source", "X",
            "--text-column", "body", "--id-column", "key")
    result = run(*args, "--input-format", "csv", input=data.encode())
    assert result.exit_code == 0, result.output
    assert set(coded(tmp_path / "out.csv")["article_id"]) == {"k1"}
    assert run(*args, "--input-format", "xml", input=data.encode()).exit_code == 2


def test_named_columns_of_a_csv(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(f'story_no,day,outlet,body\n7,2020-01-08,x,"{TEXT}"\n8,,x,"{TEXT}"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("code", path, "-o", out, "--text-column", "body", "--id-column", "story_no",
                 "--date-column", "day", "--source", "Osh Daily")
    assert result.exit_code == 1, result.output  # row 3 has no date
    assert "Skipped: " in result.output and "news.csv: row 3 (article 8)" in result.output
    rows = coded(out)
    assert set(rows["article_id"]) == {"7"} and set(rows["event_date"]) == {"2020-01-06"}
    missing = run("code", path, "-o", tmp_path / "o2.csv", "--text-column", "content")
    assert missing.exit_code == 2
    assert "news.csv: row 1: the header has no text column 'content'" in missing.output
    assert "story_no, day, outlet, body" in missing.output and "Traceback" not in missing.output


def test_xlsx_articles(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["No", "Headline", "Date", "Story", "source"])
    sheet.append([1, "Arrests", datetime(2020, 1, 8), TEXT, "Osh Daily"])
    sheet.append([2, "Empty", datetime(2020, 1, 8), None, "Osh Daily"])
    sheet.append([3, "Arrests", "2020-01-08", TEXT, "Osh Daily"])
    path = tmp_path / "articles.xlsx"
    book.save(path)
    out = tmp_path / "out.csv"
    result = run("code", path, "-o", out, "--text-column", "story", "--id-column", "no",
                 "--date-column", "date")
    assert result.exit_code == 1, result.output
    assert "articles.xlsx: row 3 (article 2): the article is empty" in result.output
    rows = coded(out)
    assert sorted(set(rows["article_id"])) == ["1", "3"]
    assert set(rows["event_date"]) == {"2020-01-06"}


def test_broken_workbook_is_an_input_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run("code", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 2 and "broken.xlsx: cannot read the workbook" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["12/03/2025", "3 December 2025", "2025-12-3", "2025-02-30", "20251203"])
def test_published_accepts_only_iso_dates(tmp_path, value):
    path = tmp_path / "a.txt"
    path.write_text(f"Source: X\n\n{TEXT}\n")
    result = run("code", path, "-o", tmp_path / "out.csv", "--published", value)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: --published: cannot read the date {value!r}; write it as YYYY-MM-DD"]
    assert not (tmp_path / "out.csv").exists()


def test_an_ambiguous_date_in_a_record_is_not_guessed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(rec(1, published="12/03/2025")) + "\n" + json.dumps(rec(2)) + "\n")
    result = run("code", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "feed.jsonl: line 1 (article a1): the date '12/03/2025' is ambiguous" in result.output


def test_library_api_takes_the_same_options(tmp_path):
    from eventcode import code_articles

    path = tmp_path / "news.csv"
    path.write_text(f'key,body\nk1,"{TEXT}"\nk2,""\n', encoding="utf-8")
    skipped = []
    frames = code_articles(path, published="2020-01-08", source="X", text_column="body", id_column="key",
                           on_skip=skipped.append)
    rows = pd.concat(list(frames))
    assert set(rows["article_id"]) == {"k1"}
    assert [str(e) for e in skipped] == [f"{path}: row 3 (article k2): the article is empty"]
    from eventcode.errors import RecordError

    with pytest.raises(RecordError, match="row 3"):  # without on_skip, the first bad record raises
        list(code_articles(path, published="2020-01-08", source="X", text_column="body"))


# -- 2. encodings per record ---------------------------------------------------------------------------
def test_one_stray_cp1252_byte_repairs_one_line_and_keeps_the_rest(tmp_path):
    lines = [json.dumps(rec(1, title="Z\u00fcrich"), ensure_ascii=False).encode("utf-8"),
             json.dumps(rec(2, title="caf\u00e9 \u2013 X"), ensure_ascii=False).encode("utf-8").replace(
                 "\u2013".encode(), b"\x96"),  # one cp1252 en dash in a UTF-8 file
             json.dumps(rec(3, title="Z\u00fcrich"), ensure_ascii=False).encode("utf-8")]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    from eventcode.coding.articles import read_articles

    warnings_seen = []
    arts = list(read_articles(path, on_warning=warnings_seen.append))
    assert [a.title for a in arts] == ["Z\u00fcrich", "caf\u00e9 \u2013 X", "Z\u00fcrich"]
    assert warnings_seen == [f"{path}: line 2: not valid UTF-8 (byte 0x96); repaired, the stray bytes "
                             "read as cp1252"]
    result = run("code", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.output and "feed.jsonl: line 2: not valid UTF-8" in result.output


def test_stray_byte_in_a_text_article_is_repaired_with_its_line(tmp_path):
    body = "Published: 2020-01-08\nSource: X\n\nPolice in Z\u00fcrich arrested two men.\n".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(body + b"They said \x93no\x94.\nThe men were taken to Z\xc3\xbcrich police.\n")
    from eventcode.coding.articles import read_articles

    seen = []
    (art,) = read_articles(path, on_warning=seen.append)
    assert "Z\u00fcrich arrested" in art.text and "Z\u00fcrich police" in art.text
    assert 'said "no".' in art.text  # cp1252 curly quotes, then straightened by the repair
    assert seen == [f"{path}: line 5: not valid UTF-8 (byte 0x93); repaired, the stray bytes read as cp1252"]


# -- 3. a bad record costs one record -------------------------------------------------------------------
def test_a_broken_line_late_in_a_feed_costs_one_record(tmp_path):
    lines = [json.dumps(rec(i)) for i in range(1, 41)]
    lines[29] = '{"id": "a30", "text": "unterminated'
    lines[34] = json.dumps(rec(35, text="   "))
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    result = run("code", path, "-o", out)
    assert result.exit_code == 1
    err = result.output.splitlines()
    assert [x for x in err if x.startswith("Skipped: ")] == [
        f"Skipped: {path}: line 30: not valid JSON (Unterminated string starting at)",
        f"Skipped: {path}: line 35 (article a35): the article is empty"]
    assert "Coded 38 article(s), 2 record(s) skipped:" in result.output and "Traceback" not in result.output
    assert len(set(coded(out)["article_id"])) == 38
    strict = run("code", path, "-o", tmp_path / "strict.csv", "--strict-input")
    assert strict.exit_code == 2
    assert strict.output.strip() == (f"Error: {path}: line 30: not valid JSON "
                                     "(Unterminated string starting at)")
    assert not (tmp_path / "strict.csv").exists()


def test_an_unsourced_article_is_skipped_too(tmp_path):
    feed = json.dumps(rec(1)) + "\n" + json.dumps({"id": "b", "text": TEXT, "published": "2020-01-08"}) + "\n"
    path = tmp_path / "feed.jsonl"
    path.write_text(feed)
    result = run("code", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "Skipped: " in result.output and "article b: the article names no source" in result.output
    assert "Coded 1 article(s), 1 record(s) skipped:" in result.output


# -- 4. repaired text --------------------------------------------------------------------------------------
def test_mojibake_and_entities_are_repaired_and_offsets_point_into_the_repaired_text(tmp_path):
    text = ("The ministryâ€™s spokesman said police arrested two men in Osh on Monday &amp; "
            "seized weapons.")
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(rec(1, text=text, title="Osh â€“ arrests")) + "\n")
    from eventcode.coding.articles import read_articles

    (art,) = read_articles(path)
    assert art.text.startswith("The ministry's spokesman") and "Monday & seized" in art.text
    assert art.title == "Osh \u2013 arrests"
    result = run("code", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    row = coded(tmp_path / "out.csv").iloc[0]
    assert art.text[int(row["evidence_start"]):int(row["evidence_end"])] == row["evidence"]


def test_validate_repairs_a_stray_byte_per_line_and_says_where(tmp_path):
    from pathlib import Path

    data = (Path(__file__).parents[1] / "examples" / "hand_coded.csv").read_bytes()
    lines = data.split(b"\n")
    lines[1] = lines[1].replace(b'"On 7 Ma', b'"On 7 \x96 Ma', 1)  # one cp1252 dash on line 2
    lines[2] = lines[2].replace(b'"', "\"Z\u00fcrich: ".encode(), 1)  # real UTF-8 after it
    path = tmp_path / "coded.csv"
    path.write_bytes(b"\n".join(lines))
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1, result.output  # the planted mistakes, not an unreadable file
    report = json.loads(result.stdout)
    note = f"{path}: not valid UTF-8 on line 2 of the file: repaired"
    assert any(n.startswith(note) for n in report["notes"]), report["notes"]
    converted = run("convert", path, "-o", tmp_path / "c.parquet", "--keep-invalid")
    assert converted.exit_code in (0, 1), converted.output
    notes = pd.read_parquet(tmp_path / "c.parquet")["notes"].astype(str).tolist()
    assert any(n.startswith("On 7 \u2013 Ma") for n in notes)
    rejects = (tmp_path / "c.parquet.rejects.csv").read_text(encoding="utf-8")
    assert "Z\u00fcrich: " in rejects and "\u00c3" not in rejects  # the UTF-8 rows are no mojibake


def test_many_repaired_lines_are_reported_ten_then_counted(tmp_path):
    from eventcode.coding.articles import read_articles

    lines = [json.dumps(rec(i, title="caf\u00e9"), ensure_ascii=False).encode() for i in range(30)]
    lines = [line.replace("\u00e9".encode(), b"\xe9") if i % 2 else line for i, line in enumerate(lines)]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    seen = []
    assert {a.title for a in read_articles(path, on_warning=seen.append)} == {"caf\u00e9"}
    assert len(seen) == 11 and seen[0].endswith("line 2: not valid UTF-8 (byte 0xe9); repaired, the stray "
                                                 "bytes read as cp1252")
    assert seen[-1] == f"{path}: 5 more lines not valid UTF-8, repaired the same way; save the file as UTF-8"


def test_html_and_tsv_on_stdin_are_detected(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Raid</title></head><body><article><p>On Monday, police "
            "arrested five men in Osh during a raid on a house, officials said in a statement issued late "
            "in the evening.</p></article></body></html>")
    args = ("--published", "2020-01-08", "--source", "Osh Daily")
    result = run("code", "-", "-o", tmp_path / "h.csv", *args, input=page.encode())
    assert result.exit_code == 0, result.output
    assert "Arrests" in set(coded(tmp_path / "h.csv")["sub_event_type"])
    tsv = f"id\ttext\nt1\t{TEXT}\n"
    result = run("code", "-", "-o", tmp_path / "t.csv", *args, input=tsv.encode())
    assert result.exit_code == 0, result.output
    assert set(coded(tmp_path / "t.csv")["article_id"]) == {"t1"}
