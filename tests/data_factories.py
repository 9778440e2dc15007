"""Small builders for test inputs (CSV, XLSX, Parquet, broken workbooks), written into tmp_path.

Why a module: the reading and legacy tests need the same invented ACLED-like rows in several formats.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

CURRENT_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
CURRENT_ROWS = [
    ["KAZ101", "2022-01-05", "2022", "1", "Demonstrations", "Protests", "Peaceful protest",
     "Protesters (Kazakhstan)", "", "Protesters", "", "", "", "Protesters only", "", "398",
     "Caucasus and Central Asia", "Kazakhstan", "Mangystau", "Zhanaozen", "", "Zhanaozen", "43.3412",
     "52.8619", "1", "Reuters", "International", "Residents protested fuel prices.", "0",
     "crowd size=hundreds", "1700000000"],
    ["KAZ102", "2022-01-06", "2022", "1", "Strategic developments", "Strategic developments", "Arrests",
     "Police Forces of Kazakhstan (2019-)", "", "State forces", "Protesters (Kazakhstan)", "",
     "Protesters", "State forces-Protesters", "", "398", "Caucasus and Central Asia", "Kazakhstan",
     "Almaty", "", "", "Almaty", "43.2567", "76.9286", "1", "Reuters", "International",
     "Police detained protesters.", "0", "", "1700000001"],
]

# The older export: extra ids and iso3, numeric inter codes and interaction, no disorder_type,
# civilian_targeting or tags.
OLDER_HEADER = [
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp", "iso3",
]
OLDER_ROWS = [
    ["7001", "566", "NIG1", "1", "12 August 2016", "2016", "1", "Violence against civilians", "Attack",
     "Military Forces of Nigeria (2015-2023)", "", "1", "Civilians (Nigeria)", "", "7", "17",
     "Western Africa", "Nigeria", "Borno", "Maiduguri", "", "Maiduguri", "11.8333", "13.15", "1",
     "Vanguard", "National", "Soldiers shot two civilians.", "2", "1500000000", "NGA"],
    ["7002", "566", "NIG2", "2", "13 August 2016", "2016", "1", "Protests", "Peaceful protest",
     "Protesters (Nigeria)", "", "6", "", "", "0", "60", "Western Africa", "Nigeria", "Lagos", "", "",
     "Lagos", "6.45", "3.4", "1", "Punch", "National", "Traders protested.", "0", "1500000001", "NGA"],
    ["7003", "566", "NIG3", "3", "14 August 2016", "2016", "1", "Battles", "Armed clash",
     "Military Forces of Nigeria (2015-2023)", "", "1",
     "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "", "2", "12", "Western Africa",
     "Nigeria", "Borno", "", "", "Bama", "11.52", "13.69", "1", "Vanguard", "National",
     "Soldiers clashed with Boko Haram.", "5", "1500000002", "NGA"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    """Rows as CSV text, quoting only where needed (as Excel and pandas do)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with one worksheet per entry, cells written as the Python values given.

    A string starting with "=" is written by openpyxl as a formula, as Excel would store it.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def replace_in_zip(source: Path, target: Path, member: str, data: bytes) -> Path:
    """Copy a ZIP (a workbook) replacing one member: to plant broken or hostile XML."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, data if item.filename == member else old.read(item.filename))
    return target


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>
"""
