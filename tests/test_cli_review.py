"""`eventcode review` through click's CliRunner, and the loop a reviewer runs: review, validate, convert."""

from __future__ import annotations

import openpyxl
import pandas as pd
from click.testing import CliRunner
from test_review import write_articles

from eventcode.cli.convert_cmd import convert
from eventcode.cli.review_cmd import review
from eventcode.cli.validate_cmd import validate


def run(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_help_documents_the_loop():
    result = run(review, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "eventcode validate review.xlsx" in result.output


def test_review_then_validate_then_convert(tmp_path):
    folder = write_articles(tmp_path / "articles")
    book = tmp_path / "review.xlsx"
    result = run(review, folder, "-o", book)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Coded 2 article(s): ") and str(book) in result.stderr
    assert openpyxl.load_workbook(book).sheetnames == ["events", "articles", "lists"]

    checked = run(validate, book)
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output
    assert "worksheet 'articles' skipped" in checked.output  # texts are not taken for rows
    assert "worksheet 'lists' skipped: hidden worksheet" in checked.output

    out = tmp_path / "events.parquet"
    converted = run(convert, book, "-o", out)
    assert converted.exit_code == 0, converted.output
    data = pd.read_parquet(out)
    assert set(data["article_id"]) == {"osh", "naryn"}
    assert data["evidence"].notna().all() and data["rule_id"].notna().all()


def test_existing_workbook_needs_force(tmp_path):
    folder = write_articles(tmp_path / "articles")
    book = tmp_path / "review.xlsx"
    book.write_bytes(b"earlier review")
    refused = run(review, folder, "-o", book)
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"Error: {book}: already exists; pass --force to replace it"
    assert book.read_bytes() == b"earlier review"
    assert run(review, folder, "-o", book, "--force").exit_code == 0
    assert openpyxl.load_workbook(book)["events"].max_row > 1


def test_bad_input_and_output_are_one_line_errors(tmp_path):
    folder = write_articles(tmp_path / "articles")
    wrong_type = run(review, folder, "-o", tmp_path / "review.csv")
    assert wrong_type.exit_code == 2
    expected = f"Error: {tmp_path / 'review.csv'}: a review workbook is .xlsx, not '.csv'"
    assert wrong_type.stderr.strip() == expected
    missing = run(review, tmp_path / "nope.txt", "-o", tmp_path / "review.xlsx")
    assert missing.exit_code == 2
    assert missing.stderr.strip().endswith("nope.txt: no such file or directory")
    assert "Traceback" not in missing.output
    undated = tmp_path / "undated.txt"
    undated.write_text("Police arrested five men in Osh on Monday.\n", encoding="utf-8")
    no_date = run(review, undated, "-o", tmp_path / "review.xlsx")
    assert no_date.exit_code == 2 and "--published" in no_date.stderr
    dated = run(review, undated, "-o", tmp_path / "review.xlsx", "--published", "2023-03-15",
                "--source", "Radio Osh")
    assert dated.exit_code == 0, dated.output
    rows = pd.read_excel(tmp_path / "review.xlsx", sheet_name="articles", engine="openpyxl")
    assert rows[["id", "outlet"]].values.tolist() == [["undated", "Radio Osh"]]
