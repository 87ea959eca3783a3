"""The corpus of broken and awkward inputs (``tests/corpus``, made by ``scripts/make_bad_inputs.py``).

Every case either loads to exactly the answers its maker wrote (``expected/<case>.csv``), or fails
with exactly the located problems listed in ``cases.csv``: one line each through
``smartcity validate``, exit status 1, no traceback.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import string
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from smartcity_analysis import errors
from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import MESSAGES, Problem, SmartCityError
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.input.readers import normalise_code
from smartcity_analysis.input.regions import (
    alias_table,
    canonical_region,
    find_region,
    load_region_aliases,
    region_register,
)
from smartcity_analysis.presentation import catalogue

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
FW = default_framework()


@pytest.fixture(autouse=True)
def _keep_language(monkeypatch):
    """``smartcity --lang en`` sets SMARTCITY_LANG for the process: undo it after each test."""
    original = os.environ.get("SMARTCITY_LANG")
    monkeypatch.setenv("SMARTCITY_LANG", original or "id")  # records the original for undo
    if original is None:
        monkeypatch.delenv("SMARTCITY_LANG")


def read_cases() -> list[dict]:
    with (CORPUS / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CASES = read_cases()
FAILING = [c for c in CASES if c["outcome"] == "fails"]
LOADING = [c for c in CASES if c["outcome"] == "loads"]


def case_id(case: dict) -> str:
    return case["case"]


def expected_problems(case: dict) -> set[tuple[str, str, str, str]]:
    return {tuple(item.strip().split("|")) for item in case["problems"].split(";") if item.strip()}


def located(problem: Problem) -> tuple[str, str, str, str]:
    loc = problem.location
    cell = loc.cell or (f"row {loc.row}" if loc.row is not None else "")
    return (problem.code, loc.file or "", loc.sheet or "", cell)


def as_rows(table: pd.DataFrame) -> list[tuple]:
    rows = []
    for r in table.itertuples(index=False):
        rows.append((
            "" if pd.isna(r.cycle) else str(int(r.cycle)), r.region, _text(r.respondent), r.indicator,
            None if pd.isna(r.value) else float(r.value), _text(r.evidence),
            r.source_sheet if isinstance(r.source_sheet, str) else "", f"{r.source_col}{r.source_row}",
        ))
    return sorted(rows, key=lambda t: (t[6], t[7], t[3]))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def expected_rows(case: dict) -> list[tuple]:
    frame = pd.read_csv(CORPUS / "expected" / f"{case['case']}.csv", dtype=str, keep_default_na=False)
    rows = [(r.cycle, r.region, r.respondent, r.indicator, float(r.value) if r.value else None, r.evidence,
             r.source_sheet, r.source_cell) for r in frame.itertuples(index=False)]
    return sorted(rows, key=lambda t: (t[6], t[7], t[3]))


# --- every case -------------------------------------------------------------------------------


def test_corpus_has_every_kind_of_case():
    names = {c["case"] for c in CASES}
    assert len(CASES) >= 40
    for must in ("truncated_xlsx", "not_a_zip_xlsx", "password_xlsx", "old_xls", "ods", "csv_cp1252_semicolon",
                 "csv_utf8_bom_semicolon", "merged_header", "formulas_tidy", "form_formulas",
                 "hidden_and_extra_sheets", "sheets_renamed_reordered", "form_rearranged", "rows_above_header",
                 "columns_shuffled", "code_spellings", "region_spellings", "two_cycles_in_one_year_file",
                 "empty_csv", "header_only_csv", "non_latin_xlsx", "non_latin_form", "folder_with_strays"):
        assert must in names
    for case in CASES:
        assert (CORPUS / case["path"]).exists(), case["path"]
        assert case["description"]


@pytest.mark.parametrize("case", LOADING, ids=case_id)
def test_case_loads_the_values_written(case):
    answers = load_answers(CORPUS / case["path"], FW)
    got, want = as_rows(answers.table), expected_rows(case)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g[:4] == w[:4] and g[5:] == w[5:], (g, w)
        assert (g[4] is None and w[4] is None) or math.isclose(g[4], w[4]), (g, w)
    assert sorted(n.code for n in answers.notes) == sorted(case["notes"].split())
    for note in answers.notes:
        assert note.format("en") and note.format("id")


@pytest.mark.parametrize("case", FAILING, ids=case_id)
def test_case_fails_with_every_problem_located(case):
    with pytest.raises(SmartCityError) as excinfo:
        load_answers(CORPUS / case["path"], FW)
    problems = excinfo.value.problems
    assert {located(p) for p in problems} == expected_problems(case)
    assert len(problems) == len(expected_problems(case))  # one line per problem, nothing twice
    for p in problems:
        assert p.location.file and p.format("en").startswith(p.location.file)
        assert p.format("id").endswith(f"[{p.code}]")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_validate_command_one_line_per_problem(case, capsys):
    status = main(["--lang", "en", "validate", str(CORPUS / case["path"])])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if case["outcome"] == "loads":
        assert status == 0
        assert out.startswith("OK: ")
        return
    assert status == 1
    lines = [line for line in err.splitlines() if "[SC" in line and "[SC106]" not in line
             and "[SC111]" not in line]
    assert len(lines) == len(expected_problems(case))
    files = {f for _, f, _, _ in expected_problems(case)}
    for line in lines:
        assert any(line.startswith(f) for f in files), line


def smartcity_command() -> list[str]:
    script = Path(sys.executable).with_name("smartcity")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smartcity_analysis.cli.main"]


@pytest.mark.parametrize("name", ["password_xlsx", "formulas_tidy", "dates_and_booleans", "non_latin_xlsx",
                                  "folder_with_strays", "region_unknown", "form_region_retyped"])
@pytest.mark.slow  # a subprocess per case: not in make test-fast
def test_real_command_line(name):
    case = next(c for c in CASES if c["case"] == name)
    done = subprocess.run([*smartcity_command(), "validate", str(CORPUS / case["path"])],
                          capture_output=True, text=True, timeout=120, env={**_env(), "SMARTCITY_LANG": "id"})
    assert "Traceback" not in done.stderr
    if case["outcome"] == "fails":
        assert done.returncode == 1
        lines = [line for line in done.stderr.splitlines() if "[SC106]" not in line and "[SC111]" not in line]
        assert len(lines) == len(expected_problems(case))
        assert all(" [SC" in line for line in lines)
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("OK: ")
    if name == "folder_with_strays":
        assert done.stderr.count("[SC106]") == 6
        assert "~$jawaban_2024.xlsx: dilewati: berkas kunci Office [SC106]" in done.stderr


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SMARTCITY_LANG"}


def test_messages_in_both_languages_name_the_cell():
    with pytest.raises(SmartCityError) as excinfo:
        load_answers(CORPUS / "formulas_never_computed.xlsx", FW)
    en = excinfo.value.format("en").splitlines()
    assert en[0].startswith("formulas_never_computed.xlsx, sheet Data, cell D3: cell holds a formula with no saved value (=2+1)")
    id_ = excinfo.value.format("id")
    assert "formulas_never_computed.xlsx, lembar Data, sel D7: sel berisi galat Excel #DIV/0! [SC110]" in id_


# --- the generator --------------------------------------------------------------------------------


def load_generator():
    spec = importlib.util.spec_from_file_location("make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_generator_is_deterministic_and_matches_the_committed_corpus(tmp_path):
    generator = load_generator()
    generator.build_corpus(tmp_path / "a")
    generator.build_corpus(tmp_path / "b")
    first, second = files_under(tmp_path / "a"), files_under(tmp_path / "b")
    assert first == second
    committed = files_under(CORPUS)
    assert set(first) == set(committed), "run: python scripts/make_bad_inputs.py"
    # The manifest and the expected answers are text and must be current; the workbooks may differ
    # in bytes when openpyxl or the form layout change, which the cases above catch.
    for name in first:
        if name == "cases.csv" or name.startswith("expected"):
            assert first[name] == committed[name], f"{name} is stale: run python scripts/make_bad_inputs.py"


# --- big and read-only inputs ----------------------------------------------------------------------


def _kecamatan(n: int) -> pd.DataFrame:
    """``n`` kecamatan of the register (more units than the 514 kab/kota)."""
    return region_register("kecamatan").iloc[:n]


def test_100000_rows_load_in_seconds(tmp_path):
    n_regions = -(-100_000 // len(FW.indicators))
    rng = np.random.default_rng(1)
    units = _kecamatan(n_regions)
    regions = np.repeat(units["region_code"].to_numpy(), len(FW.indicators))[:100_000]
    codes = np.tile(FW.indicators, n_regions)[:100_000]
    values = rng.integers(1, 6, 100_000).astype(float)
    values[::7] = 3.5
    text = np.char.replace(values.astype(str), ".", ",")
    frame = pd.DataFrame({"Tahun": 2024, "Kode Wilayah": regions, "Responden": "Bappeda",
                          "Kode Indikator": codes, "Nilai": text})
    path = tmp_path / "besar.csv"
    frame.to_csv(path, sep=";", index=False)
    start = time.perf_counter()
    answers = load_answers(path, FW)
    elapsed = time.perf_counter() - start
    assert len(answers.table) == 100_000
    assert answers.table["value"].sum() == pytest.approx(values.sum())
    assert answers.table["region"].nunique() == n_regions
    assert set(answers.table["region_type"]) == {"kecamatan"}
    assert elapsed < 10, f"100,000 rows took {elapsed:.1f} s"


def test_100000_answers_in_a_wide_workbook(tmp_path):
    n_rows = -(-100_000 // len(FW.indicators))
    rng = np.random.default_rng(2)
    values = rng.integers(1, 6, (n_rows, len(FW.indicators)))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Kecamatan", "Kode Wilayah", "Responden", *FW.indicators])
    units = _kecamatan(n_rows)
    for i, (name, code) in enumerate(zip(units["name"], units["region_code"], strict=True)):
        ws.append([name, code, "Bappeda", *values[i].tolist()])
    path = tmp_path / "besar_2024.xlsx"
    wb.save(path)
    start = time.perf_counter()
    answers = load_answers(path, FW)
    elapsed = time.perf_counter() - start
    assert len(answers.table) == values.size
    assert answers.table["value"].sum() == values.sum()
    assert answers.table["region_code"].nunique() == n_rows
    assert elapsed < 15, f"{values.size} answers took {elapsed:.1f} s"


def test_loading_never_writes_to_inputs(tmp_path):
    """Inputs made read-only still load, and every Python-level open of them is for reading."""
    import shutil

    opened: list[tuple[str, str, int]] = []
    watched = str(tmp_path)
    loading = [False]

    def hook(event, args):
        if loading[0] and event == "open" and isinstance(args[0], str) and args[0].startswith(watched):
            opened.append((args[0], str(args[1]), int(args[2] or 0)))

    sys.addaudithook(hook)  # audit hooks cannot be removed; this one only records under tmp_path
    for name in ("non_latin_names_2024.xlsx", "excel_indonesia_cp1252_2024.csv", "old_excel_2024.xls",
                 "libreoffice.ods", "form_rearranged.xlsx", "formulas_never_computed.xlsx"):
        copy = tmp_path / name
        shutil.copyfile(CORPUS / name, copy)
        copy.chmod(0o444)
        before = copy.read_bytes()
        loading[0] = True
        try:
            load_answers(copy, FW)
        except SmartCityError:
            pass
        finally:
            loading[0] = False
        assert copy.read_bytes() == before
        assert (copy.stat().st_mode & 0o777) == 0o444

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    assert opened, "the audit hook saw no open"
    for path, mode, flags in opened:
        assert not set(mode) & set("wax+"), (path, mode)
        assert not flags & write_flags, (path, flags)


# --- accepted spellings -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["sg-sv-01", " SG-SV-01 ", "SG - SV - 01", "SG SV 01", "SG_SV_01", "SG–SV–01",
                                   "sg\u00a0sv\u00a001", "SG-SV-01\u200b"])
def test_code_spellings_accepted(typed):
    assert FW.code_lookup.get(normalise_code(typed)) == "SG-SV-01"


@pytest.mark.parametrize("typed", ["SGSV01", "SG-SV-1", "SG.SV.01"])
def test_code_spellings_not_guessed(typed):
    assert normalise_code(typed) not in FW.code_lookup


AMBIGUOUS = {"pekalongan", "serang", "solok", "banjar", "bandung", "bekasi", "bogor", "malang", "tangerang",
             "semarang", "madiun", "kediri", "blitar", "probolinggo", "pasuruan", "mojokerto", "magelang", "tegal",
             "cirebon", "sukabumi", "tasikmalaya", "batang"}


def test_alias_table_is_safe():
    table = alias_table()
    assert list(table.columns) == ["alias", "region"]
    keys = table["alias"].str.strip().str.lower()
    assert not keys.duplicated().any()
    assert not set(keys) & AMBIGUOUS, "a bare name of both a regency and a city cannot be an alias"
    for region in table["region"]:
        assert canonical_region(region) == region and region.split()[0] in ("Kabupaten", "Kota")
        assert find_region(region).label == region  # every target is in the register


@pytest.mark.parametrize(("typed", "canonical"), [
    ("Kab. Pekalongan", "Kabupaten Pekalongan"), ("KAB PEKALONGAN", "Kabupaten Pekalongan"),
    ("Pekalongan, Kab.", "Kabupaten Pekalongan"), ("Pemkab Pekalongan", "Kabupaten Pekalongan"),
    ("Kota Pekalongan", "Kota Pekalongan"), ("Pekalongan", "Pekalongan"), ("Solok (Kota)", "Kota Solok"),
    ("Kab. Flotim", "Kabupaten Flores Timur"), ("pare pare", "Kota Parepare"), ("Kotabaru", "Kotabaru"),
    ("ꦥꦏꦭꦺꦴꦔꦤ꧀", "ꦥꦏꦭꦺꦴꦔꦤ꧀"), ("اداره‌ی", "اداره‌ی"),
])
def test_region_spellings(typed, canonical):
    assert canonical_region(typed, load_region_aliases()) == canonical


def test_user_alias_table(tmp_path):
    good = tmp_path / "alias.csv"
    good.write_text("alias;region\nPkl;Kabupaten Pekalongan\n", encoding="utf-8")
    assert load_region_aliases(good)["pkl"] == "Kabupaten Pekalongan"
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,daerah\nPkl,Kabupaten Pekalongan\n", encoding="utf-8")
    clash = tmp_path / "clash.csv"
    clash.write_text("alias,region\nPkl,Kabupaten Pekalongan\npkl,Kota Pekalongan\n", encoding="utf-8")
    for path, code in ((bad, "SC405"), (clash, "SC405"), (tmp_path / "missing.csv", "SC101")):
        with pytest.raises(SmartCityError) as excinfo:
            load_region_aliases(path)
        assert excinfo.value.codes == [code]
        assert excinfo.value.problems[0].location.file == path.name
    status = main(["validate", str(CORPUS / "columns_shuffled.csv"), "--aliases", str(clash)])
    assert status == 1


# --- the catalogue -------------------------------------------------------------------------------------


def test_every_code_is_documented_in_both_languages():
    field = string.Formatter()
    for code, (id_text, en_text) in MESSAGES.items():
        assert code[:2] == "SC" and code[2] in "12345" and len(code) == 5
        assert id_text and en_text and id_text != en_text
        fields_id = {f for _, f, _, _ in field.parse(id_text) if f}
        fields_en = {f for _, f, _, _ in field.parse(en_text) if f}
        assert fields_id == fields_en, code
        advice_id, advice_en = errors.ADVICE[code]
        assert advice_id and advice_en
        problem = Problem.make(code, errors.Location("x.xlsx", "Data", "B2"), **{f: "v" for f in fields_en})
        assert problem.format("en") == f"x.xlsx, sheet Data, cell B2: {problem.message('en')} [{code}]"
        assert problem.format("id").startswith("x.xlsx, lembar Data, sel B2: ")
        assert errors.error_class([problem]).__name__ == {
            "1": "FileError", "2": "FrameworkError", "3": "DataError", "4": "OptionError", "5": "RunError"}[code[2]]
    assert set(errors.ADVICE) == set(MESSAGES)


def test_common_problems_document_is_current():
    committed = (ROOT / "docs" / "common-problems.md").read_text(encoding="utf-8")
    assert committed == catalogue.problem_catalogue_markdown(), (
        'regenerate: python -c "import smartcity_analysis.presentation.catalogue as c; c.write_problem_catalogue()"')
    for code in MESSAGES:
        assert f"| {code} |" in committed


# --- the register's problems, as users read them ----------------------------------------------------


def test_region_problems_read_as_users_need_them():
    def lines(name: str, lang: str = "id") -> list[str]:
        with pytest.raises(SmartCityError) as excinfo:
            load_answers(CORPUS / name, FW)
        return excinfo.value.format(lang).splitlines()

    assert lines("region_unknown_2024.csv") == [
        "region_unknown_2024.csv, sel A2: 'Kab Pekalongn' tidak dikenal; maksud Anda Kabupaten Pekalongan (33.26)? "
        "[SC315]"]
    assert lines("region_bare_names_2024.csv", "en") == [
        "region_bare_names_2024.csv, cell A2: 'Pekalongan' could mean Kabupaten Pekalongan (33.26) or Kota "
        "Pekalongan (33.75); write the full name or the region code [SC316]"]
    assert lines("form_region_retyped.xlsx") == [
        "form_region_retyped.xlsx, lembar Petunjuk, sel B4: isian Daerah 'Kab Pekalongn' tidak sama dengan catatan "
        "tersembunyi formulir ini ('Kabupaten Pekalongan'); formulir ini dibuat untuk 'Kabupaten Pekalongan' [SC319]"]
    sv = [c for c in FW.indicators if c.startswith("SV-")]
    assert lines("form_without_sv.xlsx", "en") == [
        f"form_without_sv.xlsx: dimension sheet SV is missing; its {len(sv)} indicators were not read: "
        f"{', '.join(sv)} [SC321]"]
    assert lines("form_rows_deleted.xlsx", "en") == [
        f"form_rows_deleted.xlsx, sheet SG: the form's indicator rows do not match the instrument: 2 indicators are "
        f"missing ({FW.indicators[1]}, {FW.indicators[2]}) [SC323]"]
    assert lines("same_form_twice", "en") == [
        "b/kota-banjar__bappeda.xlsx: the same answers are also in a/kota-banjar__bappeda.xlsx (56 answers); "
        "load one of the files only [SC324]"]
    assert "unpacks to more than 256 MB" in lines("zip_bomb.xlsx", "en")[0]
    assert "more than 200,000 rows" in lines("million_rows.xlsx", "en")[0]


def test_villages_carry_their_register_entries():
    t = load_answers(CORPUS / "smart_village_2024.csv", FW).table
    units = t.drop_duplicates("region_code").set_index("region_code")
    assert units.loc["33.26.03.2003", "region"] == "Desa Depok (Lebakbarang)"
    assert units.loc["33.26.17.2011", "region"] == "Desa Depok (Siwalan)"
    assert set(units["region_type"]) == {"desa"} and set(units["province"]) == {"Jawa Tengah"}
