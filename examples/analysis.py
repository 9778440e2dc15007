"""Events per month by event type, from the Parquet file `eventcode code` or `eventcode convert` writes.

Usage: python examples/analysis.py OUTPUT.png [--data examples/events.parquet]
Prints the table (one row per month, one column per event type) and saves it as a stacked bar chart.
Why Parquet: event_date arrives as a date and event_type as a categorical, so no parsing is needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed: the chart goes to a file

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

DATA = Path(__file__).with_name("events.parquet")


def monthly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Rows: months with events (YYYY-MM); columns: the event types that occur; cells: event counts."""
    month = pd.to_datetime(events["event_date"]).dt.strftime("%Y-%m").rename("month")
    event_type = events["event_type"].astype(str).rename("event_type")
    return pd.crosstab(month, event_type).sort_index()


def plot(table: pd.DataFrame, output: Path) -> None:
    axes = table.plot.bar(stacked=True, figsize=(9, 4.5), rot=0)
    axes.set_xlabel("Month")
    axes.set_ylabel("Events")
    axes.set_title("Events per month by event type")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(title="Event type", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    figure = axes.get_figure()
    figure.tight_layout()
    figure.savefig(output, dpi=120)
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="PNG file for the chart")
    parser.add_argument("--data", type=Path, default=DATA, help="events Parquet file (default: %(default)s)")
    args = parser.parse_args(argv)
    table = monthly_counts(pd.read_parquet(args.data, columns=["event_date", "event_type"]))
    print(table.to_string())
    plot(table, args.output)


if __name__ == "__main__":
    main()
