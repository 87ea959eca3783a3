"""Generate a synthetic national cohort for benchmarks (DATA SINTETIS / synthetic data).

All 514 regencies and cities (416 kabupaten, 98 kota, in Indonesia's 38 provinces) by default,
each answered by 20 regional offices (OPD) against the built-in instrument in five cycles
(2020-2024), seeded. The answers come from the same kind of latent model as
``scripts/make_sample_data.py`` (region level and dimension profile, indicator difficulty,
respondent bias, noise, yearly progress), rounded to whole points (some halves) on the 1-5 rubric,
about 3 % left blank, flipped for "lower is better" indicators.

Outputs, under ``--out`` (default ``benchmarks/.cache/national``) in a folder named after the
parameters (``r514_p20_c5_s20240514``), so each size is generated once and reused:

- ``table/smartcity_national_wide.csv``: every answer as **one wide table**:
  ``cycle, region, respondent, region_type, province``, then one column per indicator code.
  Wide is the shape the loader reads fastest: one row per respondent holds 56 answers, so the
  per-row work (splitting, region and cycle parsing, blank-row checks) is done 56 times less
  than in a tidy table with one answer per row, and the file is about 5 times smaller.
  (``--tidy`` also writes ``table_tidy/smartcity_national_tidy.csv`` to measure that.)
- ``forms/templates/<latest cycle>/<region>__<respondent>.xlsx`` (unless ``--no-forms``): one
  filled form per region from :func:`smartcity_analysis.input.template.write_template`, answered by
  the first respondent (Diskominfo) in the latest cycle with the same values as in the table,
  plus evidence texts. Writing 514 forms with openpyxl would take minutes, so one form is
  written per cycle with placeholder region and province, and each region's copy is made by
  patching that form's sheet XML: the placeholders replaced, the *Nilai* and *Bukti dukung*
  cells filled (what a person filling the form in Excel changes, and nothing else).
- ``README.md`` in both folders (the word "sintetis" marks run outputs as synthetic), and
  ``parameters.json`` written last: a folder without it is incomplete and is made again.

Usage::

    python scripts/make_national_cohort.py                    # 514 regions x 20 x 5 cycles
    python scripts/make_national_cohort.py --regions 50 --respondents 20 --cycles 5
    python scripts/make_national_cohort.py --regions 5140 --no-forms
    python scripts/make_national_cohort.py --desa              # every desa/kelurahan, by code

``--desa`` (:func:`generate_desa`) writes ``desa_c2025_s20240514_b030_v1/table/smartcity_desa_wide.csv``:
all 83,762 desa/kelurahan of the register by Kemendagri code (*Kode Wilayah*), cycle (*Siklus*)
2025, one respondent each, the built-in instrument's 56 indicators, about 3 % blank.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout: use the checkout's package
    sys.path.insert(0, str(ROOT))

from smartcity_analysis.input.framework import Framework, default_framework  # noqa: E402
from smartcity_analysis.input.template import write_template  # noqa: E402

#: Bump when the generated content changes, so cached folders are made again.
GENERATOR_VERSION = 2  # 2: units of the Kemendagri register
SEED = 20240514
DEFAULT_OUT = ROOT / "benchmarks" / ".cache" / "national"
LAST_CYCLE = 2024
TABLE_NAME = "smartcity_national_wide.csv"
TIDY_NAME = "smartcity_national_tidy.csv"
KOTA_SHARE = 98 / 514  # Indonesia: 416 kabupaten and 98 kota
PLACEHOLDER_REGION = "Kabupaten Aceh Selatan"  # a register name; every form gets its own
PLACEHOLDER_PROVINCE = "Provinsi Placeholder"

PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Gorontalo",
    "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah",
    "Papua Pegunungan", "Papua Selatan",
)
#: Regional offices that answer; the first one also fills the forms.
RESPONDENTS = (
    "Diskominfo", "Bappeda", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Pariwisata", "DPMPTSP",
    "Dinas Perhubungan", "Dinas Lingkungan Hidup", "Dinas Perindustrian", "Dinas Sosial", "BPKAD",
    "Dinas Dukcapil", "Satpol PP", "BPBD", "Dinas PUPR", "Dinas Perkim", "Dinas Koperasi dan UKM",
    "Dinas Pertanian", "Sekretariat Daerah", "Inspektorat",
)

README = """\
# National cohort for benchmarks (DATA SINTETIS / synthetic data)

**Everything here is synthetic**: made by `scripts/make_national_cohort.py` (seed {seed}) to
measure the analysis at national scale; these are *not* the readiness of any real region.
Data sintetis: bukan hasil penilaian daerah yang sebenarnya.

{regions} regions ({kabupaten} kabupaten, {kota} kota, {provinces} provinces) x {respondents}
respondents x {cycles} cycles ({first}-{last}) x {indicators} indicators of `{framework_version}`.
"""


@dataclass(frozen=True)
class CohortSize:
    regions: int = 514
    respondents: int = 20
    cycles: int = 5
    seed: int = SEED

    @property
    def key(self) -> str:
        return f"r{self.regions}_p{self.respondents}_c{self.cycles}_s{self.seed}_v{GENERATOR_VERSION}"

    @property
    def cycle_years(self) -> list[int]:
        return list(range(LAST_CYCLE - self.cycles + 1, LAST_CYCLE + 1))


@dataclass
class Cohort:
    """The simulated answers: ``values[cycle, region, respondent, indicator]`` (NaN blank)."""

    size: CohortSize
    regions: list[str]
    region_types: list[str]
    provinces: list[str]
    respondents: list[str]
    cycles: list[int]
    indicators: list[str]
    values: np.ndarray


def region_names(n: int, rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """``n`` real units of the Kemendagri register, their types and provinces.

    Up to 514 they are kabupaten/kota (every province first, the rest spread as the register
    has them); beyond that, kecamatan by their register labels (10x Indonesia's 514 regions is
    5,140 units: there are 7,285 kecamatan). The loader accepts only units of the register.
    """
    from smartcity_analysis.input.regions import region_register

    kabkota = region_register("kabkota")
    if n <= len(kabkota):
        # Indonesia's kabupaten/kota mix, drawn from the register
        n_kota = max(1, int(round(n * KOTA_SHARE))) if n > 1 else 0
        kota = kabkota.index[kabkota["type"] == "kota"]
        kab = kabkota.index[kabkota["type"] != "kota"]
        chosen = list(rng.permutation(kota)[:n_kota]) + list(rng.permutation(kab)[: n - n_kota])
        units = kabkota.loc[sorted(chosen)]
        return units["name"].tolist(), units["type"].tolist(), units["province"].tolist()
    kecamatan = region_register("kecamatan")
    if n > len(kecamatan):
        raise SystemExit(f"{n} units: the register has {len(kecamatan)} kecamatan; use at most that many")
    units = kecamatan.loc[np.sort(rng.permutation(kecamatan.index)[:n])]
    return units["label"].tolist(), units["type"].tolist(), units["province"].tolist()


def respondent_names(n: int) -> list[str]:
    if n <= len(RESPONDENTS):
        return list(RESPONDENTS[:n])
    return list(RESPONDENTS) + [f"OPD Sintetis {i:03d}" for i in range(1, n - len(RESPONDENTS) + 1)]


def simulate(size: CohortSize, framework: Framework) -> Cohort:
    """Answers of every cycle, region, respondent and indicator, vectorised (float32 to keep the
    5,140-region cohort in memory)."""
    rng = np.random.default_rng(size.seed)
    indicators = list(framework.indicators)
    names, types, provinces = region_names(size.regions, rng)
    respondents = respondent_names(size.respondents)
    urban = np.array(types) == "kota"
    values = simulate_answers(rng, urban, size.respondents, size.cycles, framework)
    return Cohort(size, names, types, provinces, respondents, size.cycle_years, indicators, values)


def simulate_answers(rng: np.random.Generator, urban: np.ndarray, n_p: int, n_c: int, framework: Framework,
                     blank_share: float = 0.03) -> np.ndarray:
    """``values[cycle, unit, respondent, indicator]`` (float32, NaN blank) of units whose ``urban``
    flag (kota, kelurahan) lifts their level a little: the latent model of every generator here."""
    indicators = list(framework.indicators)
    t = framework.table.loc[indicators]
    lo, hi = t["min"].to_numpy(dtype=float), t["max"].to_numpy(dtype=float)
    direction = t["direction"].to_numpy(dtype=float)
    dimension_of = framework.ancestor_at(1).reindex(indicators).to_numpy()
    dims = {d: k for k, d in enumerate(framework.dimensions)}
    dim_index = np.array([dims.get(d, 0) for d in dimension_of])
    n_r, n_i = len(urban), len(indicators)

    level = rng.normal(2.8, 0.45, n_r) + np.where(urban, 0.2, 0.0)
    progress = rng.normal(0.18, 0.12, n_r)  # per year
    tilt = rng.normal(0.0, 0.35, (n_r, len(dims)))
    difficulty = rng.normal(0.0, 0.35, n_i)
    own_take = rng.normal(0.0, 0.3, (n_r, n_i)).astype(np.float32)
    bias = rng.normal(0.0, 0.2, (n_r, n_p)).astype(np.float32)
    base = (level[:, None] + tilt[:, dim_index] - difficulty[None, :]).astype(np.float32) + own_take
    values = np.empty((n_c, n_r, n_p, n_i), dtype=np.float32)
    for c in range(n_c):
        latent = (base[:, None, :] + bias[:, :, None] + (progress * c).astype(np.float32)[:, None, None]
                  + rng.normal(0.0, 0.45, (n_r, n_p, n_i)).astype(np.float32))
        halves = rng.random((n_r, n_p, n_i), dtype=np.float32) < 0.12
        points = np.where(halves, np.round(latent * 2) / 2, np.round(latent))
        points = np.clip(points, 1.0, 5.0)
        points = np.where(direction < 0, 6.0 - points, points)
        answer = lo + (points - 1.0) / 4.0 * (hi - lo)
        answer[rng.random((n_r, n_p, n_i), dtype=np.float32) < blank_share] = np.nan
        values[c] = answer
    return values


# --- the consolidated table --------------------------------------------------------------------


def _number_strings(values: np.ndarray) -> np.ndarray:
    """Cells as text ('3', '3.5', '' for blank) through a lookup of the distinct values."""
    flat = values.reshape(-1)
    blank = np.isnan(flat)
    distinct, inverse = np.unique(np.where(blank, 0.0, flat), return_inverse=True)
    words = np.array([str(int(v)) if float(v).is_integer() else f"{v:g}" for v in distinct.tolist()],
                     dtype=object)
    out = words[inverse]
    out[blank] = ""
    return out.reshape(values.shape)


def write_wide_table(path: Path, cohort: Cohort) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ",".join(["cycle", "region", "respondent", "region_type", "province", *cohort.indicators])
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        for c, cycle in enumerate(cohort.cycles):
            cells = _number_strings(cohort.values[c])  # (regions, respondents, indicators)
            lines = []
            for r, region in enumerate(cohort.regions):
                head = f"{cycle},{region},"
                tail = f",{cohort.region_types[r]},{cohort.provinces[r]},"
                for p, respondent in enumerate(cohort.respondents):
                    lines.append(head + respondent + tail + ",".join(cells[r, p]))
            handle.write("\n".join(lines) + "\n")


def write_tidy_table(path: Path, cohort: Cohort) -> None:
    """The same answers, one per row (``cycle, region, respondent, indicator, value``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("cycle,region,respondent,region_type,province,indicator,value\n")
        for c, cycle in enumerate(cohort.cycles):
            cells = _number_strings(cohort.values[c])
            lines = []
            for r, region in enumerate(cohort.regions):
                for p, respondent in enumerate(cohort.respondents):
                    head = f"{cycle},{region},{respondent},{cohort.region_types[r]},{cohort.provinces[r]},"
                    lines.extend(head + code + "," + v for code, v in zip(cohort.indicators, cells[r, p], strict=True))
            handle.write("\n".join(lines) + "\n")


# --- the forms ---------------------------------------------------------------------------------


@dataclass
class _FormTemplate:
    """One written form, unzipped, with where each indicator's value and evidence cells are."""

    parts: dict[str, bytes]
    cells: dict[str, tuple[str, str, str]]  # code -> (sheet part, value ref, evidence ref)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (``xl/worksheets/sheet2.xml``)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'Target="/?(?:xl/)?([^"]+)"\s+Id="([^"]+)"', rels))
    targets = {rid: "xl/" + target for target, rid in targets.items()}
    return {name: targets[rid] for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook)}


def build_form_template(path: Path, cycle: int, framework: Framework, respondent: str, note: str) -> _FormTemplate:
    """Write the form once with placeholders (openpyxl, through ``write_template``) and find the
    *Nilai* and *Bukti dukung* cell of every indicator in its sheet XML."""
    from python_calamine import CalamineWorkbook

    write_template(path, PLACEHOLDER_REGION, cycle, framework, respondent=respondent,
                   province=PLACEHOLDER_PROVINCE, note=note)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
        sheet_parts = _sheet_parts(archive)
    workbook = CalamineWorkbook.from_path(str(path))
    cells: dict[str, tuple[str, str, str]] = {}
    codes = set(framework.indicators)
    for sheet in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header = next((r for r, row in enumerate(rows[:30]) if "Nilai" in row and "Kode" in row), None)
        if header is None:
            continue
        value_j, evidence_j = rows[header].index("Nilai"), rows[header].index("Bukti dukung")
        for r in range(header + 1, len(rows)):
            code = rows[r][0]
            if code in codes:
                cells[code] = (sheet_parts[sheet], f"{_letter(value_j)}{r + 1}", f"{_letter(evidence_j)}{r + 1}")
    workbook.close()
    missing = codes - set(cells)
    if missing:
        raise RuntimeError(f"form template lacks indicators {sorted(missing)[:5]}")
    return _FormTemplate(parts, cells)


def _letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        out = chr(65 + rem) + out
    return out


def _fill_cell(xml: bytes, ref: str, content: bytes, inline_string: bool) -> bytes:
    """``<c r="G4" s="13" t="n"></c>`` -> the same cell (same style) holding ``content``."""
    start = xml.find(b'<c r="' + ref.encode() + b'"')
    end = xml.find(b"></c>", start)
    if start < 0 or end < 0 or b"<" in xml[start + 1:end]:
        raise RuntimeError(f"cell {ref} is not an empty cell")
    attributes = re.sub(rb' t="[^"]*"', b"", xml[start:end])
    if inline_string:
        cell = attributes + b' t="inlineStr"><is><t>' + content + b"</t></is></c>"
    else:
        cell = attributes + b' t="n"><v>' + content + b"</v></c>"
    return xml[:start] + cell + xml[end + len(b"></c>"):]


def filled_form_bytes(form: _FormTemplate, region: str, province: str, values: dict[str, str],
                      evidence: dict[str, str]) -> bytes:
    """The form of one region as a person returns it: header fields and answers filled."""
    parts = dict(form.parts)
    swap = {PLACEHOLDER_REGION.encode(): escape(region).encode(),
            PLACEHOLDER_PROVINCE.encode(): escape(province).encode()}
    for name in parts:
        if name.endswith(".xml") and (name.startswith("xl/worksheets/") or name == "docProps/core.xml"):
            data = parts[name]
            for old, new in swap.items():
                data = data.replace(old, new)
            parts[name] = data
    for code, (part, value_ref, evidence_ref) in form.cells.items():
        if code in values:
            parts[part] = _fill_cell(parts[part], value_ref, values[code].encode(), inline_string=False)
        if code in evidence:
            parts[part] = _fill_cell(parts[part], evidence_ref, escape(evidence[code]).encode(), inline_string=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data, compresslevel=1)
    return out.getvalue()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _evidence(rng: np.random.Generator, region: str, region_type: str, cycle: int, code: str) -> str:
    head = "Perbup" if region_type == "kabupaten" else "Perwali"
    number, year = int(rng.integers(1, 60)), int(rng.integers(cycle - 4, cycle + 1))
    choice = int(rng.integers(0, 3))
    site = slug(region.split(" ", 1)[1]).replace("-", "")
    return (f"{head} No. {number} Tahun {year}",
            f"https://{site}.example.go.id/layanan/{code.lower()}?tahun={cycle}&sumber=opd",
            f"DPA Diskominfo Tahun {cycle} (Bab II & lampiran)")[choice]


def write_forms(folder: Path, cohort: Cohort, framework: Framework, scratch: Path) -> int:
    """One filled form per region: the first respondent's answers in the latest cycle."""
    cycle = cohort.cycles[-1]
    respondent = cohort.respondents[0]
    note = (f"Data sintetis (synthetic data): scripts/make_national_cohort.py (seed {cohort.size.seed}), "
            "bukan hasil penilaian daerah yang sebenarnya.")
    form = build_form_template(scratch / "form.xlsx", cycle, framework, respondent, note)
    cells = _number_strings(cohort.values[-1][:, 0, :])  # (regions, indicators)
    rng = np.random.default_rng(cohort.size.seed + 1)
    target = folder / "templates" / str(cycle)
    target.mkdir(parents=True, exist_ok=True)
    for r, region in enumerate(cohort.regions):
        values = {code: v for code, v in zip(cohort.indicators, cells[r], strict=True) if v}
        with_evidence = rng.random(len(cohort.indicators)) < 0.4
        evidence = {code: _evidence(rng, region, cohort.region_types[r], cycle, code)
                    for code, keep in zip(cohort.indicators, with_evidence, strict=True) if keep and code in values}
        data = filled_form_bytes(form, region, cohort.provinces[r], values, evidence)
        (target / f"{slug(region)}__{slug(respondent)}.xlsx").write_bytes(data)
    return len(cohort.regions)


# --- entry points --------------------------------------------------------------------------------


def cohort_folder(size: CohortSize, out: Path = DEFAULT_OUT) -> Path:
    return Path(out) / size.key


def generate(size: CohortSize, out: Path = DEFAULT_OUT, *, forms: bool = True, tidy: bool = False,
             force: bool = False, quiet: bool = False) -> Path:
    """Make (or reuse) the cohort of ``size`` under ``out``; return its folder.

    A folder is reused when its ``parameters.json`` says it holds what is asked (forms, tidy
    table); otherwise the missing outputs are written.
    """
    folder = cohort_folder(size, out)
    done_file = folder / "parameters.json"
    done = json.loads(done_file.read_text()) if done_file.exists() and not force else {}
    if done and (done.get("forms") or not forms) and (done.get("tidy") or not tidy):
        return folder
    started = time.perf_counter()
    framework = default_framework()
    cohort = simulate(size, framework)
    readme = README.format(
        seed=size.seed, regions=size.regions, kabupaten=cohort.region_types.count("kabupaten"),
        kota=cohort.region_types.count("kota"), provinces=len(set(cohort.provinces)),
        respondents=size.respondents, cycles=size.cycles, first=cohort.cycles[0], last=cohort.cycles[-1],
        indicators=len(cohort.indicators), framework_version=framework.version)
    done_file.unlink(missing_ok=True)
    table = folder / "table" / TABLE_NAME
    if not done:
        write_wide_table(table, cohort)
        (folder / "table" / "README.md").write_text(readme, encoding="utf-8")
    if tidy and not done.get("tidy"):
        write_tidy_table(folder / "table_tidy" / TIDY_NAME, cohort)
        (folder / "table_tidy" / "README.md").write_text(readme, encoding="utf-8")
    if forms and not done.get("forms"):
        (folder / "forms").mkdir(parents=True, exist_ok=True)
        (folder / "forms" / "README.md").write_text(readme, encoding="utf-8")
        scratch = folder / ".scratch"
        scratch.mkdir(exist_ok=True)
        write_forms(folder / "forms", cohort, framework, scratch)
    parameters = {
        "regions": size.regions, "respondents": size.respondents, "cycles": cohort.cycles,
        "seed": size.seed, "generator_version": GENERATOR_VERSION, "indicators": len(cohort.indicators),
        "answers": int(np.count_nonzero(~np.isnan(cohort.values))),
        "forms": bool(forms or done.get("forms")), "tidy": bool(tidy or done.get("tidy")),
        "form_respondent": cohort.respondents[0], "framework_version": framework.version,
    }
    done_file.write_text(json.dumps(parameters, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        print(f"{size.key}: {parameters['answers']:,} answers"
              + (f", {size.regions} forms" if forms else "")
              + f" in {time.perf_counter() - started:.1f} s -> {folder}", file=sys.stderr)
    return folder


# --- every desa -----------------------------------------------------------------------------------

#: Bump when the generated desa table changes, so cached folders are made again.
DESA_GENERATOR_VERSION = 1
DESA_TABLE_NAME = "smartcity_desa_wide.csv"
DESA_CYCLE = 2025
DESA_RESPONDENT = "Pemerintah Desa/Kelurahan"
DESA_README = """\
# Every desa/kelurahan (DATA SINTETIS / synthetic data)

**Everything here is synthetic**: made by `scripts/make_national_cohort.py` (`generate_desa`,
seed {seed}) to measure the analysis at village scale; these are *not* the readiness of any real
desa or kelurahan. Data sintetis: bukan hasil penilaian desa/kelurahan yang sebenarnya.

{units} units of the Kemendagri register ({desa} desa, {kelurahan} kelurahan, {provinces}
provinces) identified by their code (*Kode Wilayah*), one respondent each, cycle {cycle},
{indicators} indicators of `{framework_version}`, about {blank_pct:g} % left blank.
"""


def desa_folder(out: Path = DEFAULT_OUT, *, seed: int = SEED, cycle: int = DESA_CYCLE,
                blank_share: float = 0.03) -> Path:
    """The cached folder of :func:`generate_desa` for these arguments (its ``table/`` is the raw folder)."""
    return Path(out) / f"desa_c{cycle}_s{seed}_b{round(blank_share * 1000):03d}_v{DESA_GENERATOR_VERSION}"


def generate_desa(out: Path = DEFAULT_OUT, *, seed: int = SEED, cycle: int = DESA_CYCLE,
                  blank_share: float = 0.03, force: bool = False, quiet: bool = False) -> Path:
    """Make (or reuse) a wide table answering the built-in instrument for every desa/kelurahan.

    One row per unit of ``smartcity_analysis/data/region_register_desa.csv`` (83,762), named by
    its Kemendagri code only: columns ``Kode Wilayah, Siklus, Responden`` and one per indicator
    code of the built-in instrument (56), one respondent per unit, drawn from the latent model of
    :func:`generate` (a kelurahan is lifted like a kota), ``blank_share`` of the answers blank.

    Parameters
    ----------
    out
        Cache folder; the table goes into a subfolder named after the arguments
        (:func:`desa_folder`), made once and reused while its ``parameters.json`` is there.
    seed, cycle, blank_share
        Random seed, the cycle written in *Siklus*, the share of blank answers.
    force
        Make it again even when cached.
    quiet
        Print nothing.

    Returns
    -------
    Path
        The folder holding the table and its ``README.md`` (the synthetic mark): give it to
        ``smartcity run --raw`` or ``smartcity validate --raw``.
    """
    from smartcity_analysis.input.regions import region_register

    folder = desa_folder(out, seed=seed, cycle=cycle, blank_share=blank_share)
    table_folder = folder / "table"
    done_file = folder / "parameters.json"
    if done_file.exists() and not force:
        return table_folder
    started = time.perf_counter()
    done_file.unlink(missing_ok=True)
    framework = default_framework()
    units = region_register("desa")
    rng = np.random.default_rng(seed)
    values = simulate_answers(rng, (units["type"] == "kelurahan").to_numpy(), 1, 1, framework,
                              blank_share=blank_share)[0, :, 0, :]  # (units, indicators)
    indicators = list(framework.indicators)
    table_folder.mkdir(parents=True, exist_ok=True)
    cells = _number_strings(values)
    head = f",{cycle},{DESA_RESPONDENT},"
    lines = [code + head + ",".join(row) for code, row in zip(units["region_code"].tolist(), cells, strict=True)]
    with (table_folder / DESA_TABLE_NAME).open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(["Kode Wilayah", "Siklus", "Responden", *indicators]) + "\n")
        handle.write("\n".join(lines) + "\n")
    kinds = units["type"].value_counts()
    (table_folder / "README.md").write_text(DESA_README.format(
        seed=seed, units=len(units), desa=int(kinds.get("desa", 0)), kelurahan=int(kinds.get("kelurahan", 0)),
        provinces=units["province"].nunique(), cycle=cycle, indicators=len(indicators),
        framework_version=framework.version, blank_pct=100 * blank_share), encoding="utf-8")
    parameters = {
        "units": len(units), "level": "desa", "respondents": 1, "cycles": [cycle], "seed": seed,
        "blank_share": blank_share, "generator_version": DESA_GENERATOR_VERSION,
        "indicators": len(indicators), "answers": int(np.count_nonzero(~np.isnan(values))),
        "respondent": DESA_RESPONDENT, "framework_version": framework.version,
    }
    done_file.write_text(json.dumps(parameters, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        print(f"every desa: {len(units):,} units, {parameters['answers']:,} answers in "
              f"{time.perf_counter() - started:.1f} s -> {table_folder}", file=sys.stderr)
    return table_folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="cache folder (default %(default)s)")
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=5, help="cycles ending in 2024")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-forms", action="store_true", help="only the consolidated table")
    parser.add_argument("--tidy", action="store_true", help="also write the tidy table")
    parser.add_argument("--force", action="store_true", help="make it again even when cached")
    parser.add_argument("--desa", action="store_true",
                        help="instead: every desa/kelurahan by code, one respondent, one cycle (--desa-cycle)")
    parser.add_argument("--desa-cycle", type=int, default=DESA_CYCLE, help="the desa table's cycle (default %(default)s)")
    args = parser.parse_args(argv)
    if args.desa:
        print(generate_desa(args.out, seed=args.seed, cycle=args.desa_cycle, force=args.force))
        return 0
    if args.regions < 2 or args.respondents < 1 or not 1 <= args.cycles <= 20:
        parser.error("--regions >= 2, --respondents >= 1, 1 <= --cycles <= 20")
    folder = generate(CohortSize(args.regions, args.respondents, args.cycles, args.seed), args.out,
                      forms=not args.no_forms, tidy=args.tidy, force=args.force)
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
