"""The review loop: coded rows in a workbook, corrected by a person, then validated and converted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from eventcode.errors import InputError, OutputExistsError
from eventcode.parquet_io import convert
from eventcode.review import (
    ARTICLE_COLUMNS,
    EXTRA_ROWS,
    LEADING,
    TRUNCATED,
    ReviewResult,
    review,
    review_columns,
    write_review,
)
from eventcode.schema import load_schema
from eventcode.tabular_out import EXCEL_CELL_CHARS
from eventcode.validation import validate

OSH = """Title: =HYPERLINK("http://example.com","click")
Source: Test Wire
Published: 2023-03-15

Police arrested five opposition activists in Osh on Monday.

About 200 people held a peaceful rally in Bishkek on Tuesday to demand lower fuel prices.

On Wednesday gunmen attacked a border post near Batken, killing two soldiers.
"""
NARYN = """Title: Villagers protest in Naryn
Source: Test Wire
Published: 2023-04-02

@residents of Naryn blocked the main road on Saturday in protest against a mining project. Police \
dispersed them with batons and detained ten people.
"""
EVIDENCE = ["article_id", "rule_id", "evidence", "evidence_start", "evidence_end"]


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "osh.txt").write_text(OSH, encoding="utf-8")
    (folder / "naryn.txt").write_text(NARYN, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> ReviewResult:
    folder = write_articles(tmp_path_factory.mktemp("articles"))
    return review([folder], tmp_path_factory.mktemp("out") / "review.xlsx")


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def sheet_rows(sheet) -> list[dict]:
    """The rows with a value (the date column is formatted below the rows too, for added events)."""
    names = header(sheet)
    rows = [dict(zip(names, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    return [r for r in rows if any(v is not None for v in r.values())]


def test_events_sheet_has_every_schema_column_with_the_evidence_on_the_left(reviewed):
    schema = load_schema()
    book = openpyxl.load_workbook(reviewed.path)
    assert book.sheetnames == ["events", "articles", "lists"]
    assert book["lists"].sheet_state == "hidden"
    events = book["events"]
    names = header(events)
    assert names[:len(LEADING)] == list(LEADING) == ["event_id_cnty", "article_id", "evidence", "rule_id"]
    assert sorted(names) == sorted(schema.names)
    assert names[-2:] == ["evidence_start", "evidence_end"]
    assert events.freeze_panes == "A2"
    assert events["C1"].comment.text.startswith(schema.by_name["evidence"].description)
    assert events.column_dimensions["C"].width == 60 and events["C2"].alignment.wrap_text
    rows = sheet_rows(events)
    assert reviewed.rows == len(rows) >= 4
    assert {r["article_id"] for r in rows} == {"osh", "naryn"}
    assert all(r["evidence"] and r["rule_id"] for r in rows)
    assert all(isinstance(r["event_date"], dt.datetime) for r in rows)  # real Excel dates


def test_every_categorical_column_has_a_dropdown_below_the_rows_too(reviewed):
    schema = load_schema()
    events = openpyxl.load_workbook(reviewed.path)["events"]
    letters = {name: get_column_letter(i) for i, name in enumerate(header(events), start=1)}
    covered = {}
    for validation in events.data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        covered[get_column_letter(cells.min_col)] = (validation.type, cells.min_row, cells.max_row)
    last = reviewed.rows + 1 + EXTRA_ROWS
    categorical = [c.name for c in schema.columns if c.allowed is not None]
    assert {"event_type", "sub_event_type", "country", "inter1", "interaction", "geo_precision"} <= set(
        categorical)
    for name in categorical:
        assert covered[letters[name]] == ("list", 2, last), name
    assert covered[letters["fatalities"]][0] == "whole"
    assert covered[letters["event_date"]][0] == "date"


def test_articles_sheet_holds_the_texts_escaped_and_linked_from_the_rows(reviewed):
    book = openpyxl.load_workbook(reviewed.path)
    articles = book["articles"]
    assert header(articles) == list(ARTICLE_COLUMNS)
    by_id = {r["id"]: r for r in sheet_rows(articles)}
    assert set(by_id) == {"osh", "naryn"}
    assert by_id["osh"]["title"] == "'" + OSH.splitlines()[0].removeprefix("Title: ")  # no live formula
    assert by_id["naryn"]["text"].startswith("'@residents of Naryn")
    assert by_id["osh"]["published"] == dt.datetime(2023, 3, 15)
    assert by_id["osh"]["outlet"] == "Test Wire"
    events = book["events"]
    row_of = {r["id"]: n for n, r in enumerate(sheet_rows(articles), start=2)}
    for cell in events["B"][1:reviewed.rows + 1]:
        assert cell.hyperlink.location == f"'articles'!A{row_of[cell.value]}"


def test_a_corrected_workbook_validates_and_converts_keeping_the_evidence(reviewed, tmp_path):
    """What a reviewer does in Excel, done with openpyxl: fix a sub-event type and an admin1, delete a row,
    add a missed event."""
    path = tmp_path / "corrected.xlsx"
    path.write_bytes(reviewed.path.read_bytes())
    book = openpyxl.load_workbook(path)
    events = book["events"]
    names = header(events)
    column = {name: i for i, name in enumerate(names, start=1)}
    before = sheet_rows(events)
    protest = next(n for n, r in enumerate(before, start=2) if r["sub_event_type"] == "Peaceful protest")
    arrest = next(n for n, r in enumerate(before, start=2) if r["sub_event_type"] == "Arrests")
    wrong = next(n for n, r in enumerate(before, start=2) if r["article_id"] == "osh" and n not in
                 (protest, arrest))
    events.cell(protest, column["sub_event_type"], "Protest with intervention")
    events.cell(arrest, column["admin1"], "Osh")
    kept_ids = [r["event_id_cnty"] for n, r in enumerate(before, start=2) if n != wrong]
    events.delete_rows(wrong)
    missed = {**before[arrest - 2], "event_id_cnty": "KGZ1", "article_id": None, "rule_id": None,
              "evidence": None, "evidence_start": None, "evidence_end": None, "fatalities": 1}
    for position, name in enumerate(names, start=1):  # an event the coder missed, typed below the rows
        events.cell(len(kept_ids) + 2, position, missed[name])
    book.save(path)

    result = validate(path)
    assert result.valid, result.report.format("text")
    out = convert(path, tmp_path / "events.parquet")
    data = pd.read_parquet(out.path)
    assert data["event_id_cnty"].tolist() == [*kept_ids, "KGZ1"]
    assert data[EVIDENCE].iloc[-1].isna().all() and data["fatalities"].iloc[-1] == 1
    fixed = data.set_index("event_id_cnty").loc[kept_ids]
    assert fixed.loc[before[protest - 2]["event_id_cnty"], "sub_event_type"] == "Protest with intervention"
    assert fixed.loc[before[arrest - 2]["event_id_cnty"], "admin1"] == "Osh"
    original = pd.DataFrame(before).set_index("event_id_cnty").loc[kept_ids, EVIDENCE]
    assert set(EVIDENCE) <= set(data.columns)
    assert fixed[EVIDENCE].astype(object).values.tolist() == original.astype(object).values.tolist()


def test_a_typo_made_while_reviewing_is_reported_on_its_row(reviewed, tmp_path):
    path = tmp_path / "typo.xlsx"
    path.write_bytes(reviewed.path.read_bytes())
    book = openpyxl.load_workbook(path)
    events = book["events"]
    events.cell(3, header(events).index("event_type") + 1, "Protestss")
    book.save(path)
    problems = validate(path).report.problems
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "event_type", "Protestss")]


def test_write_review_from_rows_and_articles(tmp_path):
    """The library function alone: unknown columns stay (at the right), long texts are cut to fit a cell."""
    from eventcode.coding.coder import code_text
    from eventcode.coding.model import Article

    text = "Police arrested five opposition activists in Osh on Monday. " + "x" * EXCEL_CELL_CHARS
    rows = code_text(text, published="2023-03-15", source="Test Wire", article_id="long")
    rows["checked_by"] = "ana"
    article = Article(id="long", text=text, title="Long", source="Test Wire", published=dt.date(2023, 3, 15))
    path = write_review(rows, [article], tmp_path / "long.xlsx")
    book = openpyxl.load_workbook(path)
    names = header(book["events"])
    assert names == review_columns(load_schema(), extra=["checked_by"]) and names[-1] == "checked_by"
    cell = book["articles"]["F2"].value
    assert len(cell) == EXCEL_CELL_CHARS and cell.endswith(TRUNCATED)
    with pytest.raises(OutputExistsError):
        write_review(rows, [article], path)
    assert write_review(rows, [article], path, force=True) == path


def test_refusals_come_before_any_coding(tmp_path):
    folder = write_articles(tmp_path / "articles")
    with pytest.raises(InputError, match="review workbook is .xlsx"):
        review([folder], tmp_path / "review.csv")
    existing = tmp_path / "review.xlsx"
    existing.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        review([folder], existing)
    assert existing.read_bytes() == b"keep me"
