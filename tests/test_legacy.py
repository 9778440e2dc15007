"""ACLED's older export (and its known misspellings) is normalised to the current export with one note
per change, on text frames read from CSV/XLSX and on typed Parquet frames alike."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_factories import CURRENT_HEADER, CURRENT_ROWS, OLDER_HEADER, OLDER_ROWS, write_csv, write_xlsx

from eventcode.legacy import normalise_legacy
from eventcode.reading import read
from eventcode.schema import load_schema

STRING = pd.StringDtype("pyarrow")


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def text_frame(header, rows):
    frame = pd.DataFrame(rows, columns=header, dtype=STRING).replace("", pd.NA)
    frame.index = pd.RangeIndex(2, 2 + len(rows), name="row")
    return frame


def test_older_export_becomes_the_current_one(tmp_path):
    sheet = read(write_csv(tmp_path / "old.csv", [OLDER_HEADER, *OLDER_ROWS]))[0]
    frame = sheet.frame
    for gone in ("data_id", "event_id_no_cnty", "iso3"):
        assert gone not in frame.columns
    assert frame["disorder_type"].tolist() == ["Political violence", "Demonstrations", "Political violence"]
    assert frame["inter1"].tolist() == ["State forces", "Protesters", "State forces"]
    assert frame["inter2"].tolist()[0] == "Civilians" and pd.isna(frame.loc[3, "inter2"])
    assert frame["interaction"].tolist() == ["State forces-Civilians", "Protesters only",
                                             "State forces-Rebel group"]
    assert frame["civilian_targeting"].isna().all() and frame["tags"].isna().all()
    # New columns sit where the current export has them.
    columns = list(frame.columns)
    assert columns.index("disorder_type") == columns.index("time_precision") + 1
    assert columns.index("civilian_targeting") == columns.index("interaction") + 1
    assert all(isinstance(frame[c].dtype, pd.StringDtype) for c in frame.columns)
    assert frame.loc[2, "event_date"] == "12 August 2016"  # everything else untouched
    assert frame.index.tolist() == [2, 3, 4]
    text = "\n".join(sheet.notes)
    assert "dropped column(s) data_id, event_id_no_cnty, iso3" in text
    assert "disorder_type derived from event_type and sub_event_type" in text
    assert "inter1 codes converted to names in 3 rows" in text
    assert "interaction codes converted to names in 3 rows (e.g. 17 -> State forces-Civilians)" in text
    assert "added empty column(s) civilian_targeting, tags" in text
    assert all(note.startswith("older ACLED export") for note in sheet.notes)


def test_current_export_is_unchanged_without_notes(schema, tmp_path):
    frame = text_frame(CURRENT_HEADER, CURRENT_ROWS)
    out, notes = normalise_legacy(frame, schema)
    assert notes == []
    pd.testing.assert_frame_equal(out, frame)
    sheet = read(write_xlsx(tmp_path / "current.xlsx", {"Events": [CURRENT_HEADER, *CURRENT_ROWS]}))[0]
    assert sheet.notes == [] and list(sheet.frame.columns) == CURRENT_HEADER


def test_input_frame_is_not_modified(schema):
    frame = text_frame(OLDER_HEADER, OLDER_ROWS)
    before = frame.copy()
    normalise_legacy(frame, schema)
    pd.testing.assert_frame_equal(frame, before)


def test_interaction_codes_with_no_second_actor(schema):
    frame = text_frame(["interaction"], [["10"], ["60"], ["17"], ["71"], ["State forces only"], [""]])
    out, notes = normalise_legacy(frame, schema)
    assert out["interaction"].tolist()[:5] == [
        "State forces only", "Protesters only", "State forces-Civilians", "State forces-Civilians",
        "State forces only"]
    assert pd.isna(out.loc[7, "interaction"])
    assert notes == ["older ACLED export: interaction codes converted to names in 4 rows "
                     "(e.g. 17 -> State forces-Civilians)"]


def test_legacy_spelling_gets_one_note_with_a_count(schema):
    rows = [["Demostrations"]] * 1234 + [["Political violence; Demostrations"]] * 2 + [["Demonstrations"]]
    out, notes = normalise_legacy(text_frame(["disorder_type"], rows), schema)
    assert out["disorder_type"].value_counts().to_dict() == {
        "Demonstrations": 1235, "Political violence; Demonstrations": 2}
    assert notes[0].startswith("disorder_type: 'Demostrations' written 'Demonstrations' in 1,234 rows")
    assert notes[1].startswith("disorder_type: 'Political violence; Demostrations' written "
                               "'Political violence; Demonstrations' in 2 rows")
    assert len(notes) == 2


def test_unknown_taxonomy_pairs_leave_disorder_empty_for_the_validator(schema):
    frame = text_frame(["event_id_no_cnty", "event_type", "sub_event_type"],
                       [["1", "Protests", "Arrests"], ["2", "Riots", "Mob violence"], ["3", "Riots ", None]])
    out, _ = normalise_legacy(frame, schema)
    assert pd.isna(out.loc[2, "disorder_type"]) and out.loc[3, "disorder_type"] == "Political violence"
    assert pd.isna(out.loc[4, "disorder_type"])
    assert out.loc[4, "event_type"] == "Riots "  # the value itself is left for the validator to report


def test_variant_schema_without_the_columns_is_left_alone(schema, tmp_path):
    from dataclasses import replace

    variant = replace(schema, columns=[c for c in schema.columns if c.name not in (
        "disorder_type", "inter1", "inter2", "interaction")])
    frame = text_frame(["event_type", "sub_event_type", "inter1", "interaction"],
                       [["Protests", "Peaceful protest", "6", "60"]])
    out, notes = normalise_legacy(frame, variant)
    pd.testing.assert_frame_equal(out, frame)
    assert notes == []


def test_typed_parquet_older_export(tmp_path):
    table = pa.table({
        "data_id": pa.array([1, 2], pa.int64()),
        "event_id_cnty": ["KAZ1", "KAZ2"],
        "event_type": pa.array(["Protests", "Battles"]).dictionary_encode(),
        "sub_event_type": pa.array(["Peaceful protest", "Armed clash"]).dictionary_encode(),
        "inter1": pa.array([6, 1], pa.int32()),
        "inter2": pa.array([0.0, 2.0]),
        "interaction": pa.array([60, 12], pa.int16()),
        "fatalities": pa.array([0, 4], pa.int32()),
    })
    pq.write_table(table, tmp_path / "old.parquet")
    sheet = read(tmp_path / "old.parquet")[0]
    frame = sheet.frame
    assert frame["inter1"].tolist() == ["Protesters", "State forces"]
    assert pd.isna(frame.loc[2, "inter2"]) and frame.loc[3, "inter2"] == "Rebel group"
    assert frame["interaction"].tolist() == ["Protesters only", "State forces-Rebel group"]
    assert frame["disorder_type"].tolist() == ["Demonstrations", "Political violence"]
    assert frame["fatalities"].dtype == "int32"  # other typed columns untouched
    assert "data_id" not in frame.columns


def test_categorical_legacy_spelling(schema):
    frame = pd.DataFrame({"disorder_type": pd.Categorical(["Demostrations", "Political violence",
                                                           "Demostrations"])})
    out, notes = normalise_legacy(frame, schema)
    assert out["disorder_type"].tolist() == ["Demonstrations", "Political violence", "Demonstrations"]
    assert "Demostrations" not in out["disorder_type"].cat.categories
    assert "in 2 rows" in notes[0]


def test_decimal_codes_from_a_spreadsheet_are_codes(schema):
    frame = text_frame(["inter1", "inter2"], [["1.0", "7"], ["Rioters", "0.0"], ["9", "x"]])
    out, notes = normalise_legacy(frame, schema)
    assert out["inter1"].tolist()[:2] == ["State forces", "Rioters"] and out.loc[4, "inter1"] == "9"
    assert out.loc[2, "inter2"] == "Civilians" and pd.isna(out.loc[3, "inter2"])
    assert out.loc[4, "inter2"] == "x"
    assert [n.split(" in ")[1][:6] for n in notes] == ["1 row ", "2 rows"]
