"""read(): CSV, XLSX and Parquet into Sheets with cells as written and the spreadsheet's row numbers;
every kind of unreadable input is an InputError naming the file and place, never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_factories import (
    BILLION_LAUGHS,
    CURRENT_HEADER,
    CURRENT_ROWS,
    csv_text,
    replace_in_zip,
    write_csv,
    write_xlsx,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcode.errors import InputError
from eventcode.reading import Sheet, read

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def one(path, **kwargs) -> Sheet:
    sheets = read(path, **kwargs)
    assert len(sheets) == 1
    return sheets[0]


def refused(path, *fragments: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        read(path, **kwargs)
    message = str(info.value)
    assert message.startswith(str(path) if path != "-" else "<stdin>")
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message
    return info.value


# -- CSV ------------------------------------------------------------------------------------------------
def test_csv_cells_stay_exactly_as_written(tmp_path):
    path = write_csv(tmp_path / "events.csv", [
        ["event_date", "fatalities", "sub_event_type", "iso", "notes"],
        ["12/08/2016", "3.0", " Arrests ", "NA", "said: \"no\""],
        ["2016-08-13", "", "Attack", "null", ""],
    ])
    sheet = one(path)
    assert (sheet.fmt, sheet.sheet, sheet.encoding, sheet.formulas) == ("csv", None, "utf-8", {})
    frame = sheet.frame
    assert list(frame.columns) == ["event_date", "fatalities", "sub_event_type", "iso", "notes"]
    assert all(isinstance(dtype, pd.StringDtype) for dtype in frame.dtypes)
    assert frame.loc[2].tolist() == ["12/08/2016", "3.0", " Arrests ", "NA", 'said: "no"']
    assert frame.loc[3, "iso"] == "null"
    assert pd.isna(frame.loc[3, "fatalities"]) and pd.isna(frame.loc[3, "notes"])
    assert frame.index.tolist() == [2, 3]


def test_categorical_reading_gives_the_same_cells_as_categoricals(tmp_path):
    # What validation asks for: the schema's category columns dictionary-encoded, nothing else changed.
    rows = [["event_date", "sub_event_type", "inter1", "notes"], ["2016-08-12", " Arrests ", "1", "x"],
            ["2016-08-13", "", "State forces", "y"], ["2016-08-14", "Attack", "State forces", ""]]
    path = write_csv(tmp_path / "events.csv", rows)
    text, coded = one(path).frame, one(path, categorical=True).frame
    assert isinstance(coded["sub_event_type"].dtype, pd.CategoricalDtype)
    assert isinstance(coded["notes"].dtype, pd.StringDtype)
    assert coded.astype(object).where(coded.notna(), None).values.tolist() == \
        text.astype(object).where(text.notna(), None).values.tolist()


@pytest.mark.parametrize(("delimiter", "name"),
                         [(";", "x.csv"), ("\t", "x.tsv"), ("\t", "x.csv"), ("|", "x.txt")])
def test_delimiter_is_sniffed(tmp_path, delimiter, name):
    rows = [["actor1", "notes", "latitude"], ["Police", "a, b; c | d", "43,25"], ["Army", "x", "1,5"]]
    frame = one(write_csv(tmp_path / name, rows, delimiter=delimiter)).frame
    assert list(frame.columns) == ["actor1", "notes", "latitude"]
    assert frame.loc[2, "notes"] == "a, b; c | d" and frame.loc[3, "latitude"] == "1,5"


def test_semicolon_file_with_decimal_commas_is_not_split_on_commas(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("latitude;longitude;fatalities\n43,25;76,9;0\n11,5;13,1;2\n", encoding="utf-8")
    frame = one(path).frame
    assert frame.loc[2].tolist() == ["43,25", "76,9", "0"]


def test_single_column_with_delimiters_in_values(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("notes\nPolice arrested 3, injured 2\nCalm; no events\n", encoding="utf-8")
    frame = one(path).frame
    assert frame["notes"].tolist() == ["Police arrested 3, injured 2", "Calm; no events"]


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "u16le.csv"
    path.write_bytes("country,notes\nTürkiye,İstanbul\n".encode("utf-16-le"))
    sheet = one(path)
    assert sheet.frame.loc[2].tolist() == ["Türkiye", "İstanbul"] and sheet.encoding == "utf-16-le"


def test_header_loses_bom_and_surrounding_spaces(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf event_id_cnty ,\tnotes\n KAZ1 ,caf\xc3\xa9\n")
    sheet = one(path)
    assert list(sheet.frame.columns) == ["event_id_cnty", "notes"]
    assert sheet.frame.loc[2].tolist() == [" KAZ1 ", "café"]
    assert sheet.encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_byte_encodings_are_detected(tmp_path, encoding):
    rows = [["location", "notes"], ["Besançon", "Manifestation à Besançon contre la réforme; élèves"],
            ["Orléans", "Grève générale à Orléans"], ["São Paulo", "Protesto em São Paulo; polícia"]]
    sheet = one(write_csv(tmp_path / "fr.csv", rows, encoding=encoding))
    assert sheet.frame["location"].tolist() == ["Besançon", "Orléans", "São Paulo"]
    assert sheet.encoding in ("cp1252", "latin_1", "iso8859_15")
    assert any("not UTF-8" in note for note in sheet.notes)


def test_cp1252_file_read_by_the_csv_module(tmp_path):
    # Blank lines before the header send the file to the csv module: its encoding is detected there too.
    path = tmp_path / "lead.csv"
    path.write_bytes("\n\nlocation,notes\nBesançon,Manifestation à Besançon contre la réforme\n"
                     "Orléans,Grève générale à Orléans\n".encode("cp1252"))
    sheet = one(path)
    assert sheet.frame.index.tolist() == [4, 5]
    assert sheet.frame["location"].tolist() == ["Besançon", "Orléans"]
    assert any("not UTF-8" in note for note in sheet.notes)


def test_utf16_with_bom(tmp_path):
    rows = [["country", "notes"], ["Türkiye", "İstanbul'da protesto"], ["Côte d'Ivoire", "Abidjan"]]
    sheet = one(write_csv(tmp_path / "u16.csv", rows, delimiter="\t", encoding="utf-16"))
    assert sheet.frame["country"].tolist() == ["Türkiye", "Côte d'Ivoire"]
    assert sheet.encoding == "utf-16"


def test_quoted_newlines_count_as_one_row_like_excel(tmp_path):
    # Row numbers are record numbers (what Excel shows), not physical line numbers.
    path = tmp_path / "multi.csv"
    path.write_text('id,notes\nA1,"line one\nline two\n\nline four"\nA2,plain\n', encoding="utf-8")
    frame = one(path).frame
    assert frame.index.tolist() == [2, 3]
    assert frame.loc[2, "notes"] == "line one\nline two\n\nline four"
    assert frame.loc[3, "id"] == "A2"


@pytest.mark.parametrize("block", [64, 200, 1000])
def test_values_over_several_lines_where_a_block_ends_read_exactly(tmp_path, monkeypatch, block):
    # The fast first pass cuts the file at newlines; a cut inside a quoted value must never give wrong
    # rows (pyarrow notices and the file is read again with values over several lines allowed).
    import csv

    from eventcode import reading

    monkeypatch.setattr(reading, "BLOCK_SIZE", block)
    monkeypatch.setattr(reading, "MULTILINE_BLOCK_SIZE", block)
    rows = [["id", "notes", "source"]]
    for i in range(300):
        notes = f"event {i}" + ("\nsecond line, with a comma" * (i % 3))
        rows.append([f"A{i}", notes, "Reuters" if i % 2 else "AFP; Reuters"])
    path = write_csv(tmp_path / "multi.csv", rows)
    with open(path, newline="", encoding="utf-8") as handle:
        expected = list(csv.reader(handle))[1:]
    frame = one(path).frame
    assert frame.reset_index(drop=True).values.tolist() == expected
    assert frame.index.tolist() == list(range(2, 302))


def test_blank_rows_are_skipped_but_keep_their_number(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("id,notes\nA1,x\n\n,\n  \nA5,y\r\n", encoding="utf-8")
    frame = one(path).frame
    # Row 5 holds only spaces: it is not blank, it is a value the validator will report.
    assert frame.index.tolist() == [2, 5, 6]
    assert frame.loc[6, "id"] == "A5" and frame.loc[5, "id"] == "  "


def test_blank_lines_before_the_header_keep_the_numbering(tmp_path):
    path = tmp_path / "lead.csv"
    path.write_text("\n\nid,notes\nA1,x\n", encoding="utf-8")
    frame = one(path).frame
    assert list(frame.columns) == ["id", "notes"] and frame.index.tolist() == [4]


def test_short_rows_are_filled_and_long_rows_refused(tmp_path):
    short = tmp_path / "short.csv"
    short.write_text("a,b,c\n1,2\n4,5,6\n7,8,9,,\n", encoding="utf-8")  # trailing empty cells are fine
    frame = one(short).frame
    assert pd.isna(frame.loc[2, "c"]) and frame.loc[4, "c"] == "9"
    long = tmp_path / "long.csv"
    long.write_text('a,b\n1,2\n"x\ny",2\n3,4,Lagos\n', encoding="utf-8")
    error = refused(long, "row 4", "3 cells but the header has 2", "'Lagos'")
    assert error.where == "row 4"


def test_mixed_types_in_a_column_are_just_text(tmp_path):
    path = write_csv(tmp_path / "mixed.csv", [["fatalities"], ["3"], ["three"], ["3.5"], ["TRUE"], ["43000"]])
    assert one(path).frame["fatalities"].tolist() == ["3", "three", "3.5", "TRUE", "43000"]


def test_ten_megabyte_cell_is_read(tmp_path):
    big = "x" * (10 * 2**20)
    path = write_csv(tmp_path / "big.csv", [["id", "notes"], ["A1", big], ["A2", "small"]])
    frame = one(path).frame
    assert len(frame.loc[2, "notes"]) == len(big) and frame.loc[3, "notes"] == "small"


def test_duplicate_header_names_the_column(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [["actor1", "notes", " actor1"], ["a", "b", "c"]])
    error = refused(path, "'actor1' appears twice", "column 1 (A)", "column 3 (C)")
    assert error.where == "row 1 (header)"


def test_empty_header_cell_with_data_is_refused_without_data_dropped(tmp_path):
    path = write_csv(tmp_path / "nohead.csv", [["a", "", "c", ""], ["1", "", "3", ""], ["4", "5", "6", ""]])
    refused(path, "column 2 (B) has no header", "row 3")
    path = write_csv(tmp_path / "trailing.csv", [["a", "", "c", ""], ["1", "", "3", ""]])
    assert list(one(path).frame.columns) == ["a", "c"]


def test_header_only_and_empty_inputs(tmp_path):
    (tmp_path / "header.csv").write_text("event_id_cnty,notes\n", encoding="utf-8")
    refused(tmp_path / "header.csv", "no data rows")
    (tmp_path / "blank_rows.csv").write_text("a,b\n,\n\n", encoding="utf-8")
    refused(tmp_path / "blank_rows.csv", "no data rows")
    (tmp_path / "empty.csv").write_bytes(b"")
    refused(tmp_path / "empty.csv", "empty file (0 bytes)")


def test_missing_file_and_directory(tmp_path):
    refused(tmp_path / "nope.csv", "no such file")
    refused(tmp_path, "is a directory")


def test_binary_junk_is_refused(tmp_path):
    (tmp_path / "image.csv").write_bytes(PNG)
    refused(tmp_path / "image.csv", "is a PNG image, not a spreadsheet")
    (tmp_path / "noise.csv").write_bytes(bytes(range(256)) * 40)
    refused(tmp_path / "noise.csv", "binary")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    refused(tmp_path / "old.xls", "old Excel .xls")


def test_stray_bytes_in_a_utf8_file_are_repaired_line_by_line(tmp_path):
    # UTF-8 text (with real UTF-8 accents), one cp1252 byte, then UTF-8 again: only that line is repaired,
    # the UTF-8 lines after it are not turned into mojibake by a guess over the whole file.
    path = tmp_path / "mixed.csv"
    path.write_bytes("location,notes\nBesançon,ok\nOrléans,fine\n".encode() + b"Orl\xe9ans,bad\n"
                     + "Zürich,after\n".encode())
    sheet = one(path)
    assert sheet.frame["location"].tolist() == ["Besançon", "Orléans", "Orléans", "Zürich"]
    assert [n for n in sheet.notes if "UTF-8" in n] == [
        "not valid UTF-8 on line 4 of the file: repaired, the stray bytes read as cp1252 (the other lines "
        "are UTF-8); check those lines and save the file as UTF-8"]
    # A UTF-8 BOM promises UTF-8: a stray byte is repaired the same way.
    path = tmp_path / "bom_bad.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,caf\xe9\n")
    sheet = one(path)
    assert sheet.frame["b"].tolist() == ["café"] and "line 2 of the file" in " ".join(sheet.notes)


def test_non_utf8_after_a_long_ascii_start_is_still_detected(tmp_path):
    # The first bytes are plain ASCII, so pyarrow starts on the fast path and finds cp1252 late.
    plain = [[f"A{i}", "plain ascii text"] for i in range(8000)]
    rows = [["id", "notes"], *plain, ["Z", "Besançon à Orléans"]]
    sheet = one(write_csv(tmp_path / "late.csv", rows, encoding="cp1252"))
    assert sheet.frame.loc[8002, "notes"] == "Besançon à Orléans"


def test_stdin_is_read_by_content(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a;b\n1;2\n")))
    sheet = one("-")
    assert sheet.path == "-" and sheet.frame.loc[2].tolist() == ["1", "2"]
    workbook = write_xlsx(tmp_path / "w.xlsx", {"Data": [["a"], [1]]})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(workbook.read_bytes())))
    assert one("-").fmt == "xlsx"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    refused("-", "empty input")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_read_like_a_file(tmp_path):
    # `eventcode validate <(cat coded.csv)` passes /dev/fd/N: a pipe whose size reads as 0.
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(b"id;notes\nA1;x\n",))
    writer.start()
    try:
        sheet = one(pipe)
    finally:
        writer.join()
    assert sheet.frame.loc[2].tolist() == ["A1", "x"]


def test_unknown_extension_uses_the_content(tmp_path):
    text = tmp_path / "export.dat"
    text.write_text("a,b\n1,2\n", encoding="utf-8")
    assert one(text).fmt == "csv"
    parquet = tmp_path / "export.bin"
    pq.write_table(pa.table({"a": [1, 2]}), parquet)
    assert one(parquet).fmt == "parquet"


def test_several_paths_in_order(tmp_path):
    first = write_csv(tmp_path / "1.csv", [["a"], ["x"]])
    second = write_xlsx(tmp_path / "2.xlsx", {"S1": [["a"], ["y"]], "S2": [["a"], ["z"]]})
    sheets = read([first, str(second)])
    assert [(s.path, s.sheet) for s in sheets] == [
        (str(first), None), (str(second), "S1"), (str(second), "S2")]
    assert [s.frame.loc[2, "a"] for s in sheets] == ["x", "y", "z"]


def test_pyarrow_ragged_and_csv_module_paths_agree(tmp_path):
    rows = [CURRENT_HEADER, *CURRENT_ROWS, ["KAZ9", "2022-01-07", "2022"], ["KAZ10", "x\ny", *[""] * 31]]
    text = csv_text(rows)
    fast = tmp_path / "fast.csv"
    fast.write_text(text, encoding="utf-8")
    # A blank line before the header: pyarrow's first row is not the header, so the csv module reads it.
    exact = tmp_path / "exact.csv"
    exact.write_text("\n" + text, encoding="utf-8")
    fast_frame, exact_frame = one(fast).frame, one(exact).frame
    assert fast_frame.index.tolist() == [2, 3, 4, 5] and exact_frame.index.tolist() == [3, 4, 5, 6]
    assert pd.isna(fast_frame.loc[4, "notes"]) and fast_frame.loc[5, "event_date"] == "x\ny"
    exact_frame.index = fast_frame.index
    pd.testing.assert_frame_equal(fast_frame, exact_frame)


def test_ragged_rows_in_a_large_file_keep_their_numbers(tmp_path):
    body = "".join(f"A{i},{i},note {i}\n" for i in range(20000))
    path = tmp_path / "large.csv"
    path.write_text('id,n,notes\nQ1,"multi\nline",x\n' + body + "Z1,5\n" + body + "Z2\n", encoding="utf-8")
    frame = one(path).frame
    assert len(frame) == 40003
    assert frame.loc[20003].tolist() == ["Z1", "5", pd.NA] and frame.loc[40004, "id"] == "Z2"
    assert frame.loc[20004, "id"] == "A0" and frame.index.is_monotonic_increasing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=300).map(str.encode),
                 st.lists(st.sampled_from([b"a", b",", b";", b"\t", b'"', b"\n", b"\r", b" ", b"\xe9",
                                           b"\xc3\xa9", b"|", b"\x00", b"PK\x03\x04", b"PAR1"]),
                          max_size=60).map(b"".join)))
def test_arbitrary_bytes_give_sheets_or_input_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        sheets = read(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    for sheet in sheets:
        assert len(sheet.frame) > 0
        assert sheet.frame.index.min() >= 2
        assert all(name and name == name.strip() for name in sheet.frame.columns)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                        "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
       st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: f"<x>{t}</x>".encode())),
       st.booleans())
def test_workbooks_with_an_arbitrary_part_give_sheets_or_input_error(tmp_path, member, data, formula):
    # With a formula the workbook is read by openpyxl, without by python-calamine: both must hold.
    good = tmp_path / f"good{formula}.xlsx"
    if not good.exists():
        write_xlsx(good, {"Data": [["notes", "n"], ["x", "=1+1" if formula else 2]]})
    broken = replace_in_zip(good, tmp_path / "fuzz.xlsx", member, data)
    try:
        read(broken)
    except InputError as exc:
        assert "\n" not in str(exc)


# -- XLSX -----------------------------------------------------------------------------------------------
def test_xlsx_cells_become_text_as_excel_shows_them(tmp_path):
    rows = [
        ["event_date", "year", "latitude", "fatalities", "notes", "flag", "serial"],
        [dt.datetime(2016, 8, 12), 2016, 43.25, 3.0, " Arrests ", True, "42594"],
        [dt.datetime(2016, 8, 13, 14, 30), 2016.0, -1.5, 0, None, False, "12/08/2016"],
        [dt.date(2016, 8, 14), None, None, None, None, None, None],
    ]
    sheet = one(write_xlsx(tmp_path / "w.xlsx", {"Events": rows}))
    assert (sheet.fmt, sheet.sheet, sheet.encoding) == ("xlsx", "Events", None)
    frame = sheet.frame
    assert all(isinstance(dtype, pd.StringDtype) for dtype in frame.dtypes)
    assert frame.loc[2].tolist() == ["2016-08-12", "2016", "43.25", "3", " Arrests ", "TRUE", "42594"]
    assert frame.loc[3, "event_date"] == "2016-08-13 14:30:00"
    assert frame.loc[3, ["year", "latitude", "fatalities", "flag", "serial"]].tolist() == [
        "2016", "-1.5", "0", "FALSE", "12/08/2016"]
    assert pd.isna(frame.loc[3, "notes"]) and frame.loc[4, "event_date"] == "2016-08-14"


def test_xlsx_engines_agree(tmp_path):
    # Workbooks without formulas are read by python-calamine, with formulas by openpyxl: same text.
    from eventcode.reading import _read_xlsx, _Source

    rows = [[None], [None, "event_date", "year", "latitude", "notes", "flag", "when"],
            [None, dt.datetime(2016, 8, 12), 2016, 43.25, " Arrests ", True, dt.time(14, 30)],
            [], [None, dt.datetime(2016, 8, 13, 9, 5, 7), 10**15, -0.5, "12/08/2016", False, None],
            [None, dt.date(2016, 8, 14), 3.0, 1e300, "x", None, "42594"],
            [None, None, 0.1 + 0.2, 43.256700000000002, None, None, None]]
    path = write_xlsx(tmp_path / "types.xlsx", {"A": rows, "B": [["id"], ["z"]]})
    fast = _read_xlsx(_Source.open(str(path)), None, engine="calamine")
    exact = _read_xlsx(_Source.open(str(path)), None, engine="openpyxl")
    assert [s.sheet for s in fast] == [s.sheet for s in exact] == ["A", "B"]
    for one_fast, one_exact in zip(fast, exact, strict=True):
        pd.testing.assert_frame_equal(one_fast.frame, one_exact.frame)
    assert fast[0].frame.index.tolist() == [3, 5, 6, 7]
    assert fast[0].frame.loc[7, ["year", "latitude"]].tolist() == ["0.3", "43.2567"]
    assert fast[0].frame.loc[5].tolist() == ["2016-08-13 09:05:07", "1000000000000000", "-0.5", "12/08/2016",
                                             "FALSE", pd.NA]


def test_xlsx_formulas_are_recorded_never_evaluated(tmp_path):
    rows = [["event_date", "year", "fatalities"], ["2020-01-02", "=YEAR(A2)", 1],
            ["2020-01-03", 2020, "=C2+1"]]
    sheet = one(write_xlsx(tmp_path / "f.xlsx", {"Data": rows}))
    assert sheet.formulas == {(2, "year"): "=YEAR(A2)", (3, "fatalities"): "=C2+1"}
    assert sheet.frame.loc[2, "year"] == "=YEAR(A2)" and sheet.frame.loc[3, "year"] == "2020"


def test_xlsx_error_cells_keep_their_code(tmp_path):
    sheet = one(write_xlsx(tmp_path / "e.xlsx", {"Data": [["actor1", "fatalities"], ["#N/A", 1],
                                                           ["Police", "#DIV/0!"]]}))
    assert sheet.frame["actor1"].tolist() == ["#N/A", "Police"]
    assert sheet.frame.loc[3, "fatalities"] == "#DIV/0!"


def test_xlsx_rows_keep_excel_numbers_and_header_may_start_lower(tmp_path):
    rows = [[None], ["id", "notes"], ["A1", "x"], [None, None], ["A2", "y"]]
    frame = one(write_xlsx(tmp_path / "gap.xlsx", {"Data": rows})).frame
    assert frame.index.tolist() == [3, 5]
    assert frame.loc[5, "id"] == "A2"


def test_xlsx_every_sheet_or_one_and_empty_sheets_skipped(tmp_path):
    path = write_xlsx(tmp_path / "multi.xlsx", {
        "2021": [["id"], ["A"]], "Empty": [], "Lists": [["event_type"]], "2022": [["id"], ["B"], ["C"]]})
    sheets = read(path)
    assert [s.sheet for s in sheets] == ["2021", "2022"]
    assert any("'Empty' skipped: empty worksheet" in n for n in sheets[0].notes)
    assert any("'Lists' skipped: no data rows" in n for n in sheets[0].notes)
    chosen = one(path, sheet="2022")
    assert chosen.frame["id"].tolist() == ["B", "C"]
    refused(path, "no worksheet named 'Summary'", "'2021', 'Empty'", sheet="Summary")
    refused(path, "worksheet 'Lists'", "no data rows", sheet="Lists")


def test_xlsx_hidden_and_non_event_sheets_are_skipped_when_one_holds_events(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "filled.xlsx", {
        "events": [CURRENT_HEADER, *CURRENT_ROWS],
        "dictionary": [["ACLED-style events (schema acled)"], ["column", "type", "description"],
                       ["event_id_cnty", "string", "Unique id"]],
        "lists": [["Protests"], ["Riots"]],
    })
    book = load_workbook(path)
    book["lists"].sheet_state = "hidden"
    book.save(path)
    sheets = read(path)
    assert [s.sheet for s in sheets] == ["events"]
    assert "worksheet 'dictionary' skipped: no schema column in its header (row 1)" in sheets[0].notes
    assert "worksheet 'lists' skipped: hidden worksheet" in sheets[0].notes
    # Asked for by name, a sheet is read whatever it holds.
    assert one(path, sheet="lists").frame.columns.tolist() == ["Protests"]


def test_xlsx_only_sheet_empty_or_header_only(tmp_path):
    refused(write_xlsx(tmp_path / "empty.xlsx", {"Sheet": []}), "empty worksheet")
    refused(write_xlsx(tmp_path / "head.xlsx", {"Sheet": [["id", "notes"]]}), "no data rows")


def test_xlsx_header_problems_name_the_column_letter(tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", {"Data": [["id", None, "notes"], ["A", "stray", "x"]]})
    refused(path, "worksheet 'Data', row 1 (header)", "column B has no header", "row 2")
    path = write_xlsx(tmp_path / "d.xlsx", {"Data": [["id", "notes", "id "], ["A", "x", "y"]]})
    refused(path, "'id' appears twice", "column A and column C")


def test_xlsx_that_is_another_zip_or_broken(tmp_path):
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    refused(other, "a ZIP archive of other files (data.csv)", "not an Excel workbook")
    good = write_xlsx(tmp_path / "good.xlsx", {"Data": [["a"], [1]]}).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    refused(tmp_path / "cut.xlsx", "corrupt ZIP archive")
    (tmp_path / "text.xlsx").write_text("a,b\n1,2\n", encoding="utf-8")
    refused(tmp_path / "text.xlsx", "not a valid XLSX file", "rename it .csv")
    broken = replace_in_zip(tmp_path / "good.xlsx", tmp_path / "broken.xlsx", "xl/worksheets/sheet1.xml",
                            b"<worksheet><sheetData><row")
    refused(broken, "not a readable XLSX workbook")


def test_xlsx_xml_bomb_is_refused_not_expanded(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", {"Data": [["notes"], ["x"]]})
    bomb = replace_in_zip(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    refused(bomb, "refused", "xl/worksheets/sheet1.xml", "DTD or entities")


def test_xlsx_dtd_behind_a_long_prolog_is_refused(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", {"Data": [["notes"], ["x"]]})
    header, rest = BILLION_LAUGHS.split(b"\n", 1)
    padded = header + b"\n<!-- " + b"padding " * 2000 + b"-->\n<?pi x?>\n" + rest
    bomb = replace_in_zip(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", padded)
    refused(bomb, "refused", "declares a DTD")
    # A long comment alone is harmless.
    fine = replace_in_zip(good, tmp_path / "fine.xlsx", "docProps/app.xml",
                          b'<?xml version="1.0"?>\n<!-- ' + b"padding " * 2000 + b"-->\n<Properties/>")
    assert one(fine).frame["notes"].tolist() == ["x"]


def test_excel_sep_line_sets_the_delimiter_and_stays_hidden(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nid;notes\nA1;a, b\nA2;c\n", encoding="utf-8")
    frame = one(path).frame
    assert list(frame.columns) == ["id", "notes"] and frame.index.tolist() == [2, 3]
    assert frame.loc[2, "notes"] == "a, b"
    path.write_text("sep=;\nid;notes\nA1;a, b\nA2\n", encoding="utf-8")  # short row: csv-module path
    frame = one(path).frame
    assert frame.index.tolist() == [2, 3] and pd.isna(frame.loc[3, "notes"])


@pytest.mark.parametrize("formula", [False, True])
def test_xlsx_ten_megabyte_cell_is_read(tmp_path, formula):
    # Excel itself stops at 32,767 characters, but a generated workbook may hold more: both engines cope.
    good = write_xlsx(tmp_path / "good.xlsx", {"Data": [["id", "notes", "n"], ["A", "y", 1]]})
    big = b"x" * (10 * 2**20)
    n = b'<c r="C2"><f>1+1</f></c>' if formula else b'<c r="C2"><v>2</v></c>'
    cell = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
    header = cell % (b"A1", b"id") + cell % (b"B1", b"notes") + cell % (b"C1", b"n")
    data = cell % (b"A2", b"A") + cell % (b"B2", big) + n
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1">' + header + b'</row><row r="2">' + data + b"</row></sheetData></worksheet>")
    sheet = one(replace_in_zip(good, tmp_path / "big.xlsx", "xl/worksheets/sheet1.xml", xml))
    assert len(sheet.frame.loc[2, "notes"]) == len(big)
    assert sheet.formulas == ({(2, "n"): "=1+1"} if formula else {})


def test_xlsx_named_csv_is_read_as_a_workbook_with_a_note(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_bytes(write_xlsx(tmp_path / "w.xlsx", {"Data": [["a"], ["1"]]}).read_bytes())
    sheet = one(path)
    assert sheet.fmt == "xlsx" and any("named .csv but is XLSX" in n for n in sheet.notes)


# -- Parquet --------------------------------------------------------------------------------------------
def test_parquet_keeps_types(tmp_path):
    table = pa.table({
        "event_date": pa.array([dt.date(2020, 1, 2), dt.date(2020, 1, 3)], pa.date32()),
        "fatalities": pa.array([0, 3], pa.int32()),
        "latitude": [43.2, None],
        "event_type": pa.array(["Protests", "Battles"]).dictionary_encode(),
        " notes ": ["a", None],
    })
    pq.write_table(table, tmp_path / "typed.parquet")
    sheet = one(tmp_path / "typed.parquet")
    frame = sheet.frame
    assert (sheet.fmt, sheet.encoding) == ("parquet", None)
    assert list(frame.columns) == ["event_date", "fatalities", "latitude", "event_type", "notes"]
    assert frame["fatalities"].dtype == "int32" and frame["latitude"].dtype == "float64"
    assert isinstance(frame["event_type"].dtype, pd.CategoricalDtype)
    assert frame.index.tolist() == [2, 3] and frame.loc[2, "fatalities"] == 0


def test_parquet_problems(tmp_path):
    pq.write_table(pa.table({"a": pa.array([], pa.int64())}), tmp_path / "none.parquet")
    refused(tmp_path / "none.parquet", "no data rows")
    pq.write_table(pa.table({"a": [1, 2, 3]}), tmp_path / "ok.parquet")
    data = (tmp_path / "ok.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[:12] + data[-8:])
    refused(tmp_path / "cut.parquet", "not a readable Parquet file")
    pq.write_table(pa.table([[1], [2]], names=["a", "a"]), tmp_path / "dup.parquet")
    refused(tmp_path / "dup.parquet", "'a' appears twice")


def test_paths_may_be_path_objects(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["a"], ["1"]])
    assert isinstance(path, Path) and one(path).path == str(path)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_short_row_in_another_encoding_far_down_is_transcoded_not_lost(tmp_path):
    # The first 64 KB are UTF-8, so pyarrow reads the file itself; a short row holding a cp1252 byte
    # further down must not reach pyarrow's row handler (it cannot decode it), but the transcoding path.
    body = b"".join(b"A%d,Lagos,x\n" % i for i in range(8000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,location,notes\n" + body + b"B1,Cr\xe9teil\n")
    sheet = one(path)
    assert sheet.frame["location"].iloc[-1] == "Créteil" and pd.isna(sheet.frame["notes"].iloc[-1])
    assert sheet.encoding.startswith("cp125") and len(sheet.frame) == 8001
