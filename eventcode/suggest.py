"""Suggestions that turn a problem into a fix: the nearest allowed value, the reading of a date, a swap.

Why rapidfuzz: typos in closed vocabularies ("Violence against civilian") are the commonest hand-coding
slip, and a reviewer fixes them in seconds when told the intended value. Suggestions are computed once per
distinct value, so a million rows with the same typo cost one lookup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

FUZZY_CUTOFF = 80.0  # WRatio score below which a guess is more confusing than helpful
_SPACES = re.compile(r"\s+")
SWAP_HINT = "latitude and longitude swapped?"


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def nearest(value: object, choices: Sequence[str], cutoff: float = FUZZY_CUTOFF) -> str | None:
    """The allowed value the writer most likely meant, or None when nothing is close."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    if not choices or not text.strip():
        return None
    by_norm = {_norm(c): c for c in choices}
    exact = by_norm.get(_norm(text))
    if exact is not None:
        return exact
    found = process.extractOne(text, list(choices), scorer=fuzz.WRatio, processor=utils.default_process,
                               score_cutoff=cutoff)
    return found[0] if found else None


def nearest_many(values: pd.Series, choices: Sequence[str], cutoff: float = FUZZY_CUTOFF) -> pd.Series:
    """`nearest` for a whole column, computed once per distinct value."""
    if values.empty:
        return pd.Series([], index=values.index, dtype=object)
    text = values.astype(object)
    distinct = pd.unique(text[text.notna()])
    lookup = {v: nearest(v, choices, cutoff) for v in distinct}
    return text.map(lookup).astype(object)


def did_you_mean(suggestions: pd.Series) -> pd.Series:
    """'did you mean "X"?' where a suggestion exists, else None."""
    out = '"' + suggestions.astype("string") + '"?'
    return ("did you mean " + out).astype(object).where(suggestions.notna(), None)


def date_reading(text: str) -> str | None:
    """How eventcode reads a date as written, e.g. "12/08/2016" -> "2016-08-12 (read as day/month)"."""
    from .coerce import coerce_dates  # coerce uses this module: import on use

    days, problems, notes = coerce_dates(pd.Series([text], dtype=object), "date")
    if problems:
        hint = problems[0]["suggestion"].iloc[0]
        return hint if isinstance(hint, str) else None
    if pd.isna(days.iloc[0]):
        return None
    for order in ("day/month", "month/day"):
        if any(f"read as {order}" in note for note in notes):
            return date_reading_of(days.iloc[0], order)
    return f"{days.iloc[0]:%Y-%m-%d}"


def date_reading_of(day: pd.Timestamp, order: str) -> str:
    return f"{day:%Y-%m-%d} (read as {order})"


def readings(days: pd.Series, order: str) -> pd.Series:
    """`date_reading` for a column of timestamps (NaT gives None)."""
    text = days.dt.strftime("%Y-%m-%d") + f" (read as {order})"
    return text.astype(object).where(days.notna(), None)


def swap_fits(lat: np.ndarray, lon: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Rows whose coordinates, swapped, fall inside their bounds.

    `bounds` has one row per coordinate pair: lat_min, lat_max, lon_min, lon_max (NaN: the whole globe).
    """
    low_lat, high_lat, low_lon, high_lon = (np.where(np.isnan(bounds[:, i]), edge, bounds[:, i])
                                            for i, edge in enumerate((-90, 90, -180, 180)))
    with np.errstate(invalid="ignore"):
        return (lon >= low_lat) & (lon <= high_lat) & (lat >= low_lon) & (lat <= high_lon)
