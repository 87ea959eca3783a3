"""Make the synthetic sample data in ``data/raw`` (data sintetis): ``make sample`` runs this.

The answers are invented, for trying the analysis and for tests; they are not the assessment of
any real region. They come from a seeded model, so every run writes the same files:

    value = region level + the region's dimension profile + indicator difficulty
            + the region's own take on the indicator + respondent bias + noise
            (+ the region's progress and an indicator-level change in 2024)

rounded to whole points (some halves), ~3 % left blank, mapped onto each indicator's range and
flipped for "lower is better" indicators. Outputs:

- ``templates/<cycle>/<region>__<respondent>.xlsx``: forms made by
  :func:`smartcity_analysis.input.template.write_template` and filled with openpyxl, as an office
  would return them;
- ``consolidated/smartcity_readiness_sample.csv``: the same answers as one wide table;
- ``README.md``: what all this is.

Usage: ``python scripts/make_sample_data.py [--out DIR]`` (default ``data/raw``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout: use the checkout's package
    sys.path.insert(0, str(ROOT))

from smartcity_analysis.input.framework import Framework, default_framework  # noqa: E402
from smartcity_analysis.input.regions import COHORT_2024, region_type  # noqa: E402
from smartcity_analysis.input.template import META_SHEET, write_template  # noqa: E402

SEED = 20240917
CYCLES = (2023, 2024)
FIXED_TIME = dt.datetime(2024, 1, 1)
CSV_NAME = "smartcity_readiness_sample.csv"
NOTE = (
    "Data sintetis (synthetic data): contoh buatan scripts/make_sample_data.py (seed {seed}), "
    "bukan hasil penilaian daerah yang sebenarnya."
)

PROVINCES = {
    "Kabupaten Bangli": "Bali",
    "Kabupaten Flores Timur": "Nusa Tenggara Timur",
    "Kabupaten Gianyar": "Bali",
    "Kabupaten Pekalongan": "Jawa Tengah",
    "Kabupaten Purbalingga": "Jawa Tengah",
    "Kabupaten Serang": "Banten",
    "Kabupaten Tanah Bumbu": "Kalimantan Selatan",
    "Kota Banjar": "Jawa Barat",
    "Kota Parepare": "Sulawesi Selatan",
    "Kota Solok": "Sumatera Barat",
}

# Each region: (overall level on 1-5, progress 2023 -> 2024, {dimension: tilt}, respondents).
# The tilts give every region its own profile (Gianyar sells itself well but struggles with
# waste; Tanah Bumbu's mining weighs on its environment; Parepare's government leads).
PROFILES: dict[str, tuple[float, float, dict[str, float], tuple[str, ...]]] = {
    "Kabupaten Bangli": (2.7, 0.30, {"SB": 0.5, "SE": -0.4, "SS": 0.2},
                         ("Diskominfo", "Bappeda", "Dinas Pariwisata")),
    "Kabupaten Flores Timur": (2.3, 0.45, {"SG": -0.3, "SV": 0.4, "SL": -0.3},
                               ("Diskominfo", "Bappeda", "Dinas Kesehatan")),
    "Kabupaten Gianyar": (3.3, 0.25, {"SB": 0.9, "SV": -0.7, "SE": 0.2},
                          ("Diskominfo", "Bappeda", "Dinas Pariwisata", "Dinas Lingkungan Hidup")),
    "Kabupaten Pekalongan": (3.0, 0.35, {"SE": 0.6, "SL": -0.3, "SV": -0.2},
                             ("Diskominfo", "Bappeda", "DPMPTSP", "Dinas Perindustrian")),
    "Kabupaten Purbalingga": (3.1, 0.30, {"SG": 0.5, "SB": -0.3},
                              ("Diskominfo", "Bappeda", "Dinas Kesehatan")),
    "Kabupaten Serang": (2.9, 0.20, {"SE": 0.5, "SV": -0.5, "SS": -0.2},
                         ("Diskominfo", "Bappeda", "DPMPTSP", "Dinas Lingkungan Hidup")),
    "Kabupaten Tanah Bumbu": (2.6, 0.40, {"SV": -0.8, "SE": 0.4},
                              ("Diskominfo", "Bappeda", "Dinas Lingkungan Hidup")),
    "Kota Banjar": (2.8, 0.30, {"SL": 0.4, "SB": -0.4},
                    ("Diskominfo", "Bappeda", "Dinas Perhubungan")),
    "Kota Parepare": (3.2, 0.35, {"SG": 0.6, "SS": 0.4, "SE": -0.2},
                      ("Diskominfo", "Bappeda", "Dinas Kesehatan", "DPMPTSP")),
    "Kota Solok": (2.8, -0.05, {"SS": 0.5, "SE": -0.3},
                   ("Diskominfo", "Bappeda", "Dinas Pendidikan")),
}
# A respondent that only joined in 2024 (assessments gain respondents over time).
JOINED_2024 = {"Kota Solok": "Dinas Lingkungan Hidup"}

DOMAIN_SLUG = {"kabupaten": "kab", "kota": "kota"}


def slug(text: str) -> str:
    """ASCII file-name slug: 'Kabupaten Pekalongan' -> 'kabupaten-pekalongan'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def domain(region: str) -> str:
    """A placeholder site in the style of regional domains (pekalongankab.go.id)."""
    kind = region_type(region) or "kab"
    name = region.split(" ", 1)[1]
    return f"https://{slug(name).replace('-', '')}{DOMAIN_SLUG[kind]}.example.go.id"


# --- the model -------------------------------------------------------------------------------


def simulate(framework: Framework, rng: np.random.Generator) -> list[dict]:
    """One record per cycle, region, respondent: ``{"values": {code: v}, "evidence": {...}}``."""
    indicators = framework.indicators
    dimension_of = framework.ancestor_at(1).reindex(indicators).to_numpy()
    lo = framework.table.loc[indicators, "min"].to_numpy(dtype=float)
    hi = framework.table.loc[indicators, "max"].to_numpy(dtype=float)
    direction = framework.table.loc[indicators, "direction"].to_numpy(dtype=float)
    aspect = framework.table.loc[indicators, "aspect"].to_numpy(dtype=object)
    n = len(indicators)

    difficulty = rng.normal(0.0, 0.35, n)
    # A few indicators fall back in 2024 everywhere (staff moved, an application retired).
    setback = np.zeros(n)
    setback[rng.choice(n, size=4, replace=False)] = -0.7
    records = []
    for region in COHORT_2024:
        level, progress, tilts, respondents = PROFILES[region]
        dim_random = {d: rng.normal(0.0, 0.2) for d in framework.dimensions}
        region_effect = np.array([tilts.get(d, 0.0) + dim_random[d] for d in dimension_of])
        own_take = rng.normal(0.0, 0.3, n)
        change = progress + rng.normal(0.0, 0.3, n) + setback
        all_respondents = (*respondents, *([JOINED_2024[region]] if region in JOINED_2024 else []))
        bias = {r: rng.normal(0.0, 0.2) for r in all_respondents}
        for cycle in CYCLES:
            for respondent in all_respondents:
                if cycle == 2023 and respondent not in respondents:
                    continue
                latent = (level + region_effect - difficulty + own_take + bias[respondent]
                          + rng.normal(0.0, 0.45, n) + (change if cycle == 2024 else 0.0))
                halves = rng.random(n) < 0.12
                points = np.where(halves, np.round(latent * 2) / 2, np.round(latent))
                points = np.clip(points, 1.0, 5.0)
                points = np.where(direction < 0, 6.0 - points, points)  # lower is better
                values = lo + (points - 1.0) / 4.0 * (hi - lo)
                blank = rng.random(n) < 0.03
                with_evidence = rng.random(n) < np.where(points >= 3, 0.45, 0.15)
                record_values, record_evidence = {}, {}
                for i, code in enumerate(indicators):
                    if blank[i]:
                        continue
                    record_values[code] = float(values[i])
                    if with_evidence[i]:
                        record_evidence[code] = evidence_text(rng, region, respondent, cycle, code, aspect[i])
                records.append({"cycle": cycle, "region": region, "respondent": respondent,
                                "province": PROVINCES[region], "values": record_values,
                                "evidence": record_evidence})
    return records


def evidence_text(rng: np.random.Generator, region: str, respondent: str, cycle: int, code: str,
                  aspect: object) -> str:
    year = int(rng.integers(cycle - 4, cycle + 1))
    number = int(rng.integers(1, 60))
    head = "Perbup" if region_type(region) == "kabupaten" else "Perwali"
    chief = "Bupati" if region_type(region) == "kabupaten" else "Wali Kota"
    choice = int(rng.integers(0, 3))
    if aspect == "Suprastruktur":
        return (f"{head} No. {number} Tahun {year}",
                f"SK {chief} No. {number}/{100 + number * 3}/{year}",
                f"Perda No. {number % 12 + 1} Tahun {year}")[choice]
    if aspect == "Infrastruktur":
        page = ("layanan", "dokumen", "data")[choice]
        return f"{domain(region)}/{page}/{code.lower()}"
    return (f"DPA {respondent} Tahun {cycle}",
            f"LKjIP {respondent} {cycle - 1}",
            f"SK penempatan pejabat fungsional, {respondent} {year}")[choice]


# --- writing ---------------------------------------------------------------------------------


def write_filled_form(path: Path, record: dict, framework: Framework, note: str) -> None:
    """Write the form, then fill its Nilai and Bukti dukung cells as an office would."""
    write_template(path, record["region"], record["cycle"], framework,
                   respondent=record["respondent"], province=record["province"], note=note)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        header = next((r for r in range(1, 31) if ws.cell(r, 1).value == "Kode"), None)
        if header is None:
            continue
        labels = [c.value for c in ws[header]]
        value_col, evidence_col = labels.index("Nilai") + 1, labels.index("Bukti dukung") + 1
        for row in range(header + 1, ws.max_row + 1):
            code = ws.cell(row, 1).value
            if code in record["values"]:
                value = record["values"][code]
                ws.cell(row, value_col, int(value) if value.is_integer() else value)
            if code in record["evidence"]:
                ws.cell(row, evidence_col, record["evidence"][code])
    save_reproducibly(wb, path)


def save_reproducibly(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps (document properties and zip entries): same bytes every run."""
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def write_consolidated(path: Path, records: list[dict], framework: Framework) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cycle", "region", "respondent", "region_type", "province", *framework.indicators])
        for r in records:
            cells = [_number(r["values"].get(code)) for code in framework.indicators]
            writer.writerow([r["cycle"], r["region"], r["respondent"], region_type(r["region"]),
                             r["province"], *cells])


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else f"{value:g}"


README = """\
# data/raw: sample data (DATA SINTETIS / synthetic data)

**Everything in this folder is synthetic.** The answers were invented by
`scripts/make_sample_data.py` (seed {seed}) to try the analysis and to test it; they are *not*
the readiness of any real region. Data sintetis: bukan hasil penilaian daerah yang sebenarnya.

The regions are the 2024 cohort of the Gerakan Menuju 100 Smart City ({n_regions} regencies and
cities), assessed in two cycles ({cycles}) by {n_respondents_min} to {n_respondents_max} regional
offices (OPD) each, against the built-in illustrative instrument
(`{framework_version}`, {n_indicators} indicators, 1-5 scale). About 3 % of answers are blank.
Regions differ on purpose (their own level and dimension profile), and most improve from 2023 to
2024, though not on every indicator.

| path | what |
|---|---|
| `templates/<cycle>/<region>__<respondent>.xlsx` | {n_forms} filled forms, one per region x respondent x cycle: the workbook `smartcity template` writes, filled in as an office returns it |
| `consolidated/{csv_name}` | the **same answers** as one wide table: `cycle, region, respondent, region_type, province`, then one column per indicator code |

Evidence (bukti dukung) is only in the forms: a wide table has no place for it.

`smartcity run` analyses `data/raw/templates`. The consolidated table holds the same answers for
users who keep one spreadsheet instead of a folder of forms; load one or the other, not both (the
answers would count twice).

Regenerate with `make sample` (or `python scripts/make_sample_data.py`); the output is the same
every time.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "raw", help="output folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    framework = default_framework()
    records = simulate(framework, np.random.default_rng(SEED))
    note = NOTE.format(seed=SEED)

    written = set()
    for record in records:
        name = f"{slug(record['region'])}__{slug(record['respondent'])}.xlsx"
        path = out / "templates" / str(record["cycle"]) / name
        write_filled_form(path, record, framework, note)
        written.add(path)
    write_consolidated(out / "consolidated" / CSV_NAME, records, framework)
    per_region = {}
    for r in records:
        per_region.setdefault((r["cycle"], r["region"]), set()).add(r["respondent"])
    (out / "README.md").write_text(README.format(
        seed=SEED, n_regions=len(COHORT_2024), cycles=" and ".join(map(str, CYCLES)),
        n_respondents_min=min(map(len, per_region.values())),
        n_respondents_max=max(map(len, per_region.values())),
        framework_version=framework.version, n_indicators=len(framework.indicators),
        n_forms=len(records), csv_name=CSV_NAME,
    ), encoding="utf-8")

    stray = sorted(p for p in (out / "templates").rglob("*.xlsx") if p not in written)
    for p in stray:  # never delete what somebody put here; say it will be analysed too
        print(f"warning: {p} was not written by this script and will be loaded with the sample",
              file=sys.stderr)
    print(f"{len(records)} forms and {CSV_NAME} written to {out} (synthetic, seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
