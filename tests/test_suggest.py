"""Suggestions: the nearest allowed value, how a date was read, whether swapped coordinates fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventcode.suggest import date_reading, nearest, nearest_many, swap_fits

EVENT_TYPES = ["Battles", "Violence against civilians", "Protests", "Riots"]


def test_nearest_fixes_typos_case_and_spacing():
    assert nearest("Violence against civilian", EVENT_TYPES) == "Violence against civilians"
    assert nearest("  protests ", EVENT_TYPES) == "Protests"
    assert nearest("RIOTS", EVENT_TYPES) == "Riots"


def test_nearest_says_nothing_when_nothing_is_close():
    assert nearest("Earthquake", EVENT_TYPES) is None
    assert nearest("", EVENT_TYPES) is None
    assert nearest(None, EVENT_TYPES) is None


def test_nearest_many_keeps_the_index():
    out = nearest_many(pd.Series(["Riot", None, "zzz"], index=[5, 6, 7]), EVENT_TYPES)
    assert out.index.tolist() == [5, 6, 7]
    assert out.iloc[0] == "Riots" and pd.isna(out.iloc[1]) and pd.isna(out.iloc[2])


def test_date_reading_says_which_order_was_used():
    assert date_reading("12/08/2016") == "2016-08-12 (read as day/month)"
    assert date_reading("08/30/2016") == "2016-08-30 (read as month/day)"
    assert date_reading("29 August 2016") == "2016-08-29"
    assert date_reading("not a date") is None


def test_swap_fits_checks_the_swapped_pair_against_the_bounds():
    lat, lon = np.array([52.86, 10.0]), np.array([43.34, 10.0])  # Kazakhstan, swapped; nowhere near
    kazakhstan = np.array([[40.5, 55.4, 45.7, 87.0]] * 2)
    assert swap_fits(lat, lon, kazakhstan).tolist() == [True, False]
    unknown = np.full((2, 4), np.nan)  # no bounds: anywhere on the globe
    assert swap_fits(np.array([120.0, 10.0]), np.array([45.0, 100.0]), unknown).tolist() == [True, False]
