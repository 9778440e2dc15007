"""`eventcode convert`: validate spreadsheets and write them as one typed Parquet dataset."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import check_writable
from ..datapackage import DESCRIPTOR, write_datapackage
from ..errors import InvalidDataError
from ..parquet_io import RESERVED_KEYS
from ..parquet_io import convert as convert_files
from ..schema import load_schema
from .common import datapackage_option, force_option, format_option, library_errors, schema_option


def _partition_columns(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",")]
    if not all(names):
        raise click.BadParameter(f"{value!r}: give column names separated by commas, e.g. country,year")
    return names


def _metadata(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for item in value:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: use KEY=VALUE, e.g. --meta project=sahel-2024")
        if key.strip() in RESERVED_KEYS:
            raise click.BadParameter(f"{key.strip()!r} is recorded by eventcode itself; choose another key")
        pairs[key.strip()] = text
    return pairs


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Parquet file to write (a directory with --partition-by).")
@click.option("--sheet", default=None, help="Worksheet to read from each workbook (default: every sheet).")
@schema_option
@click.option("--partition-by", "partition_by", callback=_partition_columns, default=None, metavar="COLUMNS",
              help="Write a hive-partitioned directory split by these columns, e.g. country,year.")
@click.option("--keep-invalid", is_flag=True,
              help="Write the valid rows and set the invalid ones aside instead of refusing the whole file.")
@click.option("--rejects", type=click.Path(dir_okay=False), default=None,
              help="Where --keep-invalid puts the invalid rows: .csv or .xlsx (default: OUTPUT.rejects.csv).")
@datapackage_option
@click.option("--meta", "meta", multiple=True, callback=_metadata, metavar="KEY=VALUE",
              help="Provenance stored in the Parquet metadata (repeatable), e.g. --meta coder=team-a.")
@format_option
@force_option
@library_errors
def convert(inputs: tuple[str, ...], output: str, sheet: str | None, schema_path: str | None,
            partition_by: list[str] | None, keep_invalid: bool, rejects: str | None, datapackage: bool,
            meta: dict[str, str], fmt: str, force: bool) -> None:
    """Validate CSV, XLSX or Parquet inputs and write their rows as one typed Parquet dataset
    (categories as R factors / pandas categoricals, dates as dates, counts as int32).

    If any row is invalid nothing is written: the report is printed and the exit code is 1.
    With --keep-invalid the valid rows are written, the invalid ones go to a rejects file with their
    file, row number and problems, and the exit code is 0. To convert fixed rejects again, delete
    those three leading columns (or pass --keep-invalid, which writes rows despite unknown columns).

    \b
    Examples:
      eventcode convert coded.xlsx -o events.parquet
      eventcode convert team_a.csv team_b.xlsx -o events --partition-by country,year
      eventcode convert coded.csv -o events.parquet --keep-invalid --rejects fix_these.csv
      eventcode convert coded.xlsx -o archive/events.parquet --datapackage
    """
    if rejects is not None and not keep_invalid:
        raise click.UsageError("--rejects only applies with --keep-invalid")
    if datapackage and partition_by:
        raise click.UsageError("--datapackage describes one Parquet file, not a --partition-by directory")
    if datapackage:
        check_writable(Path(output).parent / DESCRIPTOR, force)  # refuse before converting, not after
    try:
        result = convert_files(list(inputs), output, schema_path, metadata=meta, partition_by=partition_by,
                               force=force, sheet=sheet, keep_invalid=keep_invalid, rejects=rejects)
    except InvalidDataError as exc:
        if exc.report is not None:
            click.echo(exc.report.format(fmt), nl=False)
        click.echo(f"Error: {exc}", err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    report = result.report
    if fmt != "text" or not report.valid or report.notes:
        click.echo(report.format(fmt), nl=False)
    click.echo(result.summary(), err=True)
    if datapackage:
        descriptor = write_datapackage(result.path, load_schema(schema_path), force=force)
        click.echo(f"{descriptor}: data package descriptor written", err=True)
