"""Typed Parquet: the types R and pandas need, provenance inside the file, partitioned datasets, atomicity."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventcode
from eventcode.errors import InputError, InvalidDataError, OutputExistsError
from eventcode.parquet_io import read_metadata, read_table, to_arrow, write_parquet
from eventcode.schema import load_schema


def events() -> pd.DataFrame:
    """Four invented rows, as a reader hands them over: everything text except what a CSV types."""
    return pd.DataFrame({
        "event_id_cnty": ["KAZ1", "KAZ2", "NGA3", "NGA4"],
        "event_date": ["2024-01-05", "2024-02-01", "2023-12-31", "2024-03-15"],
        "year": [2024, 2024, 2023, 2024],
        "time_precision": [1, 2, 1, 3],
        "disorder_type": ["Demonstrations", "Political violence", "Political violence",
                          "Strategic developments"],
        "event_type": ["Protests", "Battles", "Violence against civilians", "Strategic developments"],
        "sub_event_type": ["Peaceful protest", "Armed clash", "Attack", "Arrests"],
        "actor1": ["Protesters (Kazakhstan)", "Military Forces of Kazakhstan (1991-)",
                   "Unidentified Armed Group (Nigeria)", "Police Forces of Nigeria (2023-)"],
        "inter1": ["Protesters", "State forces", "Political militia", "State forces"],
        "actor2": [None, "Unidentified Armed Group (Kazakhstan)", "Civilians (Nigeria)",
                   "Civilians (Nigeria)"],
        "inter2": [None, "Rebel group", "Civilians", "Civilians"],
        "interaction": ["Protesters only", "State forces-Rebel group", "Political militia-Civilians",
                        "State forces-Civilians"],
        "civilian_targeting": [None, None, "Civilian targeting", None],
        "iso": [398, 398, 566, 566],
        "region": ["Caucasus and Central Asia"] * 2 + ["Western Africa"] * 2,
        "country": ["Kazakhstan", "Kazakhstan", "Nigeria", "Nigeria"],
        "admin1": ["Almaty", "Aktobe", "Kaduna", "Lagos"],
        "location": ["Almaty", "Aktobe", "Kaduna", "Ikeja"],
        "latitude": [43.25, 50.2839, 10.5222, 6.6018],
        "longitude": [76.95, 57.1670, 7.4383, 3.3515],
        "geo_precision": [1, 1, 2, 1],
        "source": ["Reuters", "AFP; Interfax", "Punch", "Vanguard (Nigeria)"],
        "notes": ["On 5 January 2024, about 200 people protested.", "Clash near Aktobe.",
                  "Gunmen killed 12 villagers; \"a massacre\".", "Ünïcödé — arrests"],
        "fatalities": [0, 3, 12, 0],
        "timestamp": [1_704_412_800, 1_706_745_600, 1_704_000_000, 2**40],
    })


@pytest.fixture
def frame() -> pd.DataFrame:
    return events()


@pytest.fixture
def written(tmp_path: Path, frame: pd.DataFrame) -> Path:
    return write_parquet(frame, tmp_path / "events.parquet", metadata={"codebook": "acled-en", "rows": "4"})


# -- to_arrow -------------------------------------------------------------------------------------------
def test_to_arrow_uses_schema_order_and_types(frame):
    schema = load_schema()
    table = to_arrow(frame.sample(frac=1, axis=1, random_state=1), schema)
    assert table.column_names == schema.acled_names  # missing optional ACLED columns added, no evidence
    assert table.schema.field("event_type").type == pa.dictionary(pa.int32(), pa.string())
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("fatalities").type == pa.int32()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("timestamp").type == pa.int64()
    assert table.schema.field("admin2").type == pa.string()
    assert table.column("admin2").null_count == len(frame)
    assert table.schema.field("country").metadata[b"description"].startswith(b"Country where")
    assert table.column("event_date").to_pylist()[0] == dt.date(2024, 1, 5)


def test_categories_carry_all_allowed_values_as_levels(frame):
    table = to_arrow(frame)
    levels = table.column("event_type").chunk(0).dictionary.to_pylist()
    assert levels == load_schema().event_types  # R factor levels in the codebook's order


def test_evidence_columns_kept_when_present_and_unknown_columns_dropped(frame):
    frame = frame.assign(article_id="a1", evidence_start=[0, 10, 20, 30], scratch="x")
    table = to_arrow(frame)
    assert table.column_names[-2:] == ["article_id", "evidence_start"]
    assert "scratch" not in table.column_names and "rule_id" not in table.column_names
    assert table.schema.field("evidence_start").type == pa.int32()


def test_typed_input_converts_like_text_input(frame):
    typed = frame.assign(
        event_date=pd.to_datetime(frame["event_date"]),
        fatalities=frame["fatalities"].astype("Int32"),
        event_type=frame["event_type"].astype("category"),
        year=frame["year"].astype(str),
    )
    assert to_arrow(typed).equals(to_arrow(frame))


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("event_date", "5th of never", "not a date"),
    ("fatalities", 2.5, "not a whole number"),
    ("fatalities", "three", "not a whole number"),
    ("latitude", "north", "not a number"),
    ("iso", 2**40, "not a whole number"),
])
def test_values_that_cannot_be_typed_are_refused_with_column_and_row(frame, column, value, expected):
    frame[column] = frame[column].astype(object)
    frame.loc[2, column] = value
    pattern = rf"column '{column}': 1 value\(s\) are {expected}.*row label 2"
    with pytest.raises(InvalidDataError, match=pattern):
        to_arrow(frame)


def test_missing_required_column_and_empty_required_cell_are_refused(frame):
    with pytest.raises(InvalidDataError, match="missing required column.*fatalities"):
        to_arrow(frame.drop(columns="fatalities"))
    frame.loc[1, "location"] = None
    with pytest.raises(InvalidDataError, match="'location': 1 empty value"):
        to_arrow(frame)


# -- round trips ----------------------------------------------------------------------------------------
def test_pandas_reads_categories_dates_and_int32(written, frame):
    back = pd.read_parquet(written)
    assert list(back.columns) == load_schema().acled_names
    assert isinstance(back["event_type"].dtype, pd.CategoricalDtype)
    assert isinstance(back["country"].dtype, pd.CategoricalDtype)
    assert str(back["fatalities"].dtype) == "Int32"
    assert str(back["timestamp"].dtype) == "Int64"
    assert all(isinstance(d, dt.date) for d in back["event_date"])
    assert back["event_date"].tolist() == [dt.date.fromisoformat(d) for d in frame["event_date"]]
    for name in ("event_id_cnty", "actor1", "notes", "source"):
        assert back[name].tolist() == frame[name].tolist()
    assert back["fatalities"].tolist() == frame["fatalities"].tolist()
    assert back["latitude"].tolist() == frame["latitude"].tolist()
    assert back["timestamp"].tolist() == frame["timestamp"].tolist()  # 2**40 survives exactly
    assert back["inter2"].isna().tolist() == [True, False, False, False]


def test_polars_reads_categorical_date_and_int32(written, frame):
    back = pl.read_parquet(written)
    assert isinstance(back.schema["event_type"], pl.Categorical | pl.Enum)
    assert back.schema["event_date"] == pl.Date
    assert back.schema["fatalities"] == pl.Int32
    assert back["sub_event_type"].cast(pl.String).to_list() == frame["sub_event_type"].tolist()


def test_duckdb_reads_date_and_integer(written, frame):
    relation = duckdb.sql(f"SELECT event_date, fatalities, country, latitude FROM '{written}'")
    assert [str(t) for t in relation.types] == ["DATE", "INTEGER", "VARCHAR", "DOUBLE"]
    rows = relation.fetchall()
    assert rows[2] == (dt.date(2023, 12, 31), 12, "Nigeria", 10.5222)


def test_file_is_zstd_compressed(written):
    meta = pq.ParquetFile(written).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_provenance_is_embedded(written):
    meta = read_metadata(written)
    assert meta["schema"] == "acled" and meta["schema_version"] == load_schema().version
    assert meta["eventcode_version"] == eventcode.__version__
    created = dt.datetime.fromisoformat(meta["created"].replace("Z", "+00:00"))
    assert created.tzinfo is not None and created.utcoffset() == dt.timedelta(0)
    assert meta["codebook"] == "acled-en" and meta["rows"] == "4"
    raw = pq.read_schema(written).metadata[b"eventcode"]
    assert json.loads(raw) == meta
    field = pq.read_schema(written).field("fatalities")  # column descriptions travel with the file
    assert field.metadata[b"description"].decode() == load_schema().by_name["fatalities"].description


def test_public_api_writes_the_same_file(tmp_path, frame):
    path = eventcode.write_parquet(frame, tmp_path / "api.parquet")
    assert pq.read_table(path).num_rows == len(frame)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(st.one_of(st.none(), st.text()), min_size=4, max_size=4),
       deaths=st.lists(st.integers(0, 2**31 - 1), min_size=4, max_size=4))
def test_any_text_and_count_round_trips(tmp_path_factory, notes, deaths):
    frame = events().assign(notes=notes, fatalities=deaths)
    path = write_parquet(frame, tmp_path_factory.mktemp("h") / "e.parquet")
    back = pd.read_parquet(path)
    assert back["fatalities"].tolist() == deaths
    assert [None if pd.isna(v) else v for v in back["notes"]] == notes


# -- outputs are atomic and never replaced silently -----------------------------------------------------
def test_existing_output_is_kept_without_force(written, frame):
    before = written.read_bytes()
    with pytest.raises(OutputExistsError, match="--force"):
        write_parquet(frame.head(1), written)
    assert written.read_bytes() == before
    write_parquet(frame.head(1), written, force=True)
    assert pq.read_table(written).num_rows == 1


def test_failed_write_leaves_nothing_behind(tmp_path, frame, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(frame, tmp_path / "e.parquet")
    assert list(tmp_path.iterdir()) == []


# -- partitioned datasets -------------------------------------------------------------------------------
@pytest.fixture
def partitioned(tmp_path: Path, frame: pd.DataFrame) -> Path:
    return write_parquet(frame, tmp_path / "events", partition_by=["country", "year"],
                         metadata={"codebook": "acled-en"})


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("event_id_cnty").reset_index(drop=True)


def test_partitioned_dataset_is_hive_layout(partitioned):
    files = sorted(p.relative_to(partitioned).as_posix() for p in partitioned.rglob("*.parquet"))
    assert files == ["country=Kazakhstan/year=2024/part-0.parquet",
                     "country=Nigeria/year=2023/part-0.parquet", "country=Nigeria/year=2024/part-0.parquet"]
    assert sorted(p.name for p in partitioned.iterdir()) == ["country=Kazakhstan", "country=Nigeria"]


def test_partitioned_dataset_reads_as_one_table_in_pandas_pyarrow_polars_duckdb(partitioned, frame):
    back = _sorted(pd.read_parquet(partitioned))
    assert back["event_id_cnty"].tolist() == frame["event_id_cnty"].tolist()
    assert back["country"].astype(str).tolist() == frame["country"].tolist()
    assert back["year"].astype(int).tolist() == frame["year"].tolist()
    assert str(back["fatalities"].dtype) == "Int32"
    assert ds.dataset(partitioned, partitioning="hive").count_rows() == len(frame)
    assert pl.read_parquet(partitioned).height == len(frame)
    total = duckdb.sql(f"SELECT sum(fatalities) FROM read_parquet('{partitioned}/**/*.parquet', "
                       "hive_partitioning=true)").fetchall()[0][0]
    assert total == frame["fatalities"].sum()


def test_partitioned_dataset_keeps_metadata_and_exact_types(partitioned, frame):
    assert read_metadata(partitioned)["codebook"] == "acled-en"
    for part in partitioned.rglob("*.parquet"):  # each file explains itself too
        assert json.loads(pq.read_schema(part).metadata[b"eventcode"])["codebook"] == "acled-en"
    table = read_table(partitioned)
    assert table.column_names == load_schema().acled_names
    assert table.schema.field("year").type == pa.int32()
    assert pa.types.is_dictionary(table.schema.field("country").type)
    assert sorted(table.column("event_id_cnty").to_pylist()) == frame["event_id_cnty"].tolist()


def test_partitioned_output_is_not_replaced_without_force(partitioned, frame):
    with pytest.raises(OutputExistsError):
        write_parquet(frame, partitioned, partition_by=["country"])
    write_parquet(frame.head(1), partitioned, partition_by=["country"], force=True)
    assert sorted(p.name for p in partitioned.iterdir()) == ["country=Kazakhstan"]
    assert not [p for p in partitioned.parent.iterdir() if p.name.startswith(".")]


def test_partition_by_unknown_column_is_an_input_error(tmp_path, frame):
    with pytest.raises(InputError, match="cannot partition by 'province'"):
        write_parquet(frame, tmp_path / "out", partition_by=["province"])
    assert not (tmp_path / "out").exists()


def test_read_metadata_of_a_non_parquet_file_is_an_input_error(tmp_path):
    bogus = tmp_path / "x.parquet"
    bogus.write_text("not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_metadata(bogus)


# -- R ------------------------------------------------------------------------------------------------
def _r_with_arrow() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(arrow)"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _r_with_arrow(), reason="Rscript with the arrow package is not installed")
def test_r_reads_factors_dates_and_integers(written, partitioned):
    script = (
        f"d <- arrow::read_parquet('{written}'); "
        "stopifnot(is.factor(d$event_type), inherits(d$event_date, 'Date'), is.integer(d$fatalities)); "
        f"p <- dplyr::collect(arrow::open_dataset('{partitioned}')); stopifnot(nrow(p) == 4)"
    )
    result = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_more_partitions_than_pyarrows_default_cap(tmp_path):
    """ACLED's countries times years exceed pyarrow's default of 1024 partitions."""
    frame = pd.concat([events().iloc[[0]]] * 1025, ignore_index=True)
    frame["event_id_cnty"] = [f"KAZ{i}" for i in range(1025)]
    path = write_parquet(frame.sample(frac=1, random_state=0), tmp_path / "e", partition_by=["event_id_cnty"])
    assert len(list(path.iterdir())) == 1025
    assert {p.name for p in path.rglob("*.parquet")} == {"part-0.parquet"}  # one file per partition


def test_caller_metadata_cannot_overwrite_eventcodes_own(tmp_path, frame):
    with pytest.raises(ValueError, match="schema_version"):
        write_parquet(frame, tmp_path / "e.parquet", metadata={"schema_version": "fake"})
    path = write_parquet(frame, tmp_path / "e.parquet", metadata={"coded_on": dt.date(2024, 1, 5)})
    assert read_metadata(path)["coded_on"] == "2024-01-05"


def test_repeated_column_names_are_refused(frame):
    with pytest.raises(InvalidDataError, match="notes appear more than once"):
        to_arrow(pd.concat([frame, frame[["notes"]]], axis=1))
