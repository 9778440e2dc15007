"""Build (or rebuild) the compiled gazetteer cache ahead of first use.

The coder builds it by itself on first use (about half a minute); run this once after installing, or in a
container image, so that no coding run pays for it. Prints where the cache was written and its size.

usage: python scripts/build_gazetteer.py [--min-population N] [--force]
"""

from __future__ import annotations

import argparse
import time

from eventcode.coding import gazetteer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--min-population",
        type=int,
        default=gazetteer.DEFAULT_MIN_POPULATION,
        help="smallest town kept (GeoNames seats without a population are always kept)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the cache exists")
    args = parser.parse_args()
    path = gazetteer.cache_path(args.min_population)
    if path.exists() and not args.force:
        print(f"{path}: already built ({path.stat().st_size / 1e6:.1f} MB); --force rebuilds it")
        return
    start = time.perf_counter()
    gaz = gazetteer.build_gazetteer(args.min_population)
    gazetteer.write_gazetteer(gaz, path)
    print(
        f"{path}: {len(gaz.town_name):,} towns, {len(gaz.admin1_name):,} admin1 units, "
        f"{len(gaz.index):,} names, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
