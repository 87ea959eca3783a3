"""The fill-in form: what it looks like, how it protects itself, and how it reads back."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.framework import framework_from_table
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.input.template import META_SHEET, is_template, write_template

DIMENSION_SHEETS = ["SG", "SB", "SE", "SL", "SS", "SV"]


def code_cells(wb) -> dict[str, tuple[str, int]]:
    """``{indicator code: (sheet title, row)}`` of a form opened with openpyxl."""
    out = {}
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        header = next((r for r in range(1, 40) if ws.cell(r, 1).value in ("Kode", "Code")), None)
        if header is None:
            continue
        for r in range(header + 1, ws.max_row + 1):
            code = ws.cell(r, 1).value
            if code:
                out[code] = (ws.title, r)
    return out


@pytest.fixture
def form(tmp_path, framework):
    return write_template(tmp_path / "gianyar.xlsx", "Kab. Gianyar", 2024, framework,
                          province="Bali")


# --- layout ----------------------------------------------------------------------------------


def test_layout_sheets_and_header_fields(form, framework):
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames == ["Petunjuk", *DIMENSION_SHEETS, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    p = wb["Petunjuk"]
    assert (p["A4"].value, p["B4"].value) == ("Daerah", "Kabupaten Gianyar")
    assert (p["A5"].value, p["B5"].value) == ("Siklus", 2024)
    assert (p["A6"].value, p["B6"].value) == ("Responden / OPD", None)
    assert (p["A7"].value, p["B7"].value) == ("Provinsi", "Bali")
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(min_row=2, values_only=True)}
    assert meta["region"] == "Kabupaten Gianyar"
    assert meta["cycle"] == 2024
    assert meta["framework_fingerprint"] == framework.fingerprint()
    assert meta["framework_version"] == framework.version
    assert meta["layout_version"] == "1"


def test_dimension_sheet_lists_its_indicators_with_framework_texts(form, framework):
    wb = openpyxl.load_workbook(form)
    ws = wb["SG"]
    assert framework.name("SG") in ws["A1"].value
    header = [c.value for c in ws[3]]
    assert header == ["Kode", "Sub-dimensi", "Aspek", "Indikator", "Pertanyaan", "Skala", "Nilai",
                      "Bukti dukung"]
    cells = code_cells(wb)
    assert set(cells) == set(framework.indicators)
    sg = [c for c in framework.indicators if framework.ancestor_at(1)[c] == "SG"]
    assert [ws.cell(r, 1).value for r in range(4, 4 + len(sg))] == sg
    row = cells["SG-SV-01"][1]
    assert ws.cell(row, 2).value == framework.name("SG-SV")
    assert ws.cell(row, 3).value == framework.table.at["SG-SV-01", "aspect"]
    assert ws.cell(row, 4).value == framework.name("SG-SV-01")
    assert ws.cell(row, 5).value == framework.table.at["SG-SV-01", "question_id"]
    assert ws.cell(row, 6).value.startswith("1 = ")
    assert "\n2 = " in ws.cell(row, 6).value
    assert ws.freeze_panes == "B4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_english_form_uses_english_texts(tmp_path, framework):
    path = write_template(tmp_path / "en.xlsx", "Kota Solok", 2024, framework, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Instructions"
    assert wb["SG"].cell(4, 4).value == framework.name(wb["SG"].cell(4, 1).value, "en")
    assert wb["SG"]["G3"].value == "Value"


def test_data_validation_on_every_value_cell(form, framework):
    wb = openpyxl.load_workbook(form)
    cells = code_cells(wb)
    for sheet in DIMENSION_SHEETS:
        ws = wb[sheet]
        validations = ws.data_validations.dataValidation
        assert len(validations) == 1  # the default instrument is 1-5 throughout
        dv = validations[0]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "1", "5")
        assert dv.showErrorMessage and dv.allow_blank
        assert "Isi angka dari 1 sampai 5" in dv.error
        rows = [r for s, r in cells.values() if s == sheet]
        covered = {c for rng in dv.sqref.ranges for c in rng.cells}
        assert covered == {(r, 7) for r in rows}


def test_sheets_protected_with_only_inputs_unlocked(form):
    wb = openpyxl.load_workbook(form)
    for sheet in ["Petunjuk", *DIMENSION_SHEETS]:
        assert wb[sheet].protection.sheet, sheet
        assert not wb[sheet].protection.password
    ws = wb["SG"]
    assert ws["A4"].protection.locked and ws["F4"].protection.locked
    assert not ws["G4"].protection.locked and not ws["H4"].protection.locked
    assert ws["G4"].fill.fgColor.rgb.endswith("FFF2CC")
    p = wb["Petunjuk"]
    assert p["B4"].protection.locked and p["B5"].protection.locked
    assert not p["B6"].protection.locked and not p["B7"].protection.locked


def test_is_template(form, tmp_path):
    assert is_template(CalamineWorkbook.from_path(str(form)))
    other = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(other)
    assert not is_template(CalamineWorkbook.from_path(str(other)))


# --- reading back ----------------------------------------------------------------------------


def test_round_trip_gives_the_typed_values_back(form, framework):
    wb = openpyxl.load_workbook(form)
    cells = code_cells(wb)
    wb["Petunjuk"]["B6"] = "Diskominfo"
    expected, evidence = {}, {}
    kinds = [4, 2.5, "3,5", None, 1, "4.5", 5.0]
    for i, code in enumerate(framework.indicators):
        sheet, row = cells[code]
        value = kinds[i % len(kinds)]
        wb[sheet].cell(row, 7, value)
        expected[code] = (
            math.nan if value is None else float(str(value).replace(",", "."))
        )
        if i % 3 == 0:
            evidence[code] = f"Perbup No. {i} Tahun 2023"
            wb[sheet].cell(row, 8, evidence[code])
    wb.save(form)

    answers = load_answers(form, framework)
    t = answers.table.set_index("indicator")
    assert len(t) == len(framework.indicators)
    got = t["value"].to_dict()
    for code, value in expected.items():
        assert (math.isnan(value) and math.isnan(got[code])) or got[code] == value, code
    got_evidence = {c: e for c, e in t["evidence"].items() if isinstance(e, str)}
    assert got_evidence == evidence
    assert set(t["region"]) == {"Kabupaten Gianyar"}
    assert set(t["cycle"]) == {2024}
    assert set(t["respondent"]) == {"Diskominfo"}
    assert set(t["province"]) == {"Bali"}
    assert set(t["region_type"]) == {"kabupaten"}
    sheet, row = cells["SG-SV-01"]
    first = answers.table.loc[answers.table["indicator"] == "SG-SV-01"].iloc[0]
    assert (first["source_file"], first["source_sheet"], first["source_col"], first["source_row"]) == (
        "gianyar.xlsx", sheet, "G", row)


def test_mistakes_are_all_reported_with_their_cells(form, framework):
    wb = openpyxl.load_workbook(form)
    cells = code_cells(wb)
    sg, sb = wb["SG"], wb["SB"]
    for sheet, row in cells.values():
        wb[sheet].cell(row, 7, 3)
    sg["G5"] = "3,5x"
    sg["G12"] = 7
    sb.protection.sheet = False  # what a user does to type over a code
    sb["A6"] = "SB-XX-99"
    wb["Petunjuk"].protection.sheet = False
    wb["Petunjuk"]["B4"] = None
    wb.save(form)

    with pytest.raises(SmartCityError) as excinfo:
        load_answers(form, framework)
    found = {(p.code, p.location.file, p.location.sheet, p.location.cell) for p in excinfo.value.problems}
    assert found == {
        ("SC303", "gianyar.xlsx", "SG", "G5"),
        ("SC304", "gianyar.xlsx", "SG", "G12"),
        ("SC302", "gianyar.xlsx", "SB", "A6"),
        ("SC307", "gianyar.xlsx", "Petunjuk", "B4"),
    }
    text = excinfo.value.format("id")
    assert "gianyar.xlsx, lembar SG, sel G5: '3,5x' bukan angka dari 1 sampai 5 [SC303]" in text


def test_bad_cycle_is_reported_at_its_cell(form):
    wb = openpyxl.load_workbook(form)
    wb["SG"]["G4"] = 3
    wb["Petunjuk"]["B5"] = "2024/2025"
    wb.save(form)
    with pytest.raises(SmartCityError) as excinfo:
        load_answers(form)
    assert [(p.code, p.location.sheet, p.location.cell) for p in excinfo.value.problems] == [
        ("SC308", "Petunjuk", "B5")]


def test_unfilled_form_is_sc306(form):
    with pytest.raises(SmartCityError) as excinfo:
        load_answers(form)
    assert excinfo.value.codes == ["SC306"]
    assert excinfo.value.problems[0].location.file == "gianyar.xlsx"


def test_renamed_reordered_sheets_and_inserted_rows_still_load(form, framework):
    wb = openpyxl.load_workbook(form)
    cells = code_cells(wb)
    for i, code in enumerate(framework.indicators):
        sheet, row = cells[code]
        wb[sheet].cell(row, 7, 1 + i % 5)
    wb["Petunjuk"]["B6"] = "Bappeda"
    wb["SG"].title = "Tata kelola"
    wb["Petunjuk"].title = "Baca dulu"
    wb.move_sheet("SV", offset=-6)
    wb.move_sheet("Baca dulu", offset=3)
    wb["Tata kelola"].insert_rows(1, 2)
    wb["Baca dulu"].insert_rows(2)
    wb.save(form)

    answers = load_answers(form, framework)
    t = answers.table.set_index("indicator")
    assert len(t) == len(framework.indicators)
    assert t["value"].to_dict() == {c: float(1 + i % 5) for i, c in enumerate(framework.indicators)}
    assert set(t["respondent"]) == {"Bappeda"}
    assert set(t["region"]) == {"Kabupaten Gianyar"}
    sg_rows = answers.table.loc[answers.table["source_sheet"] == "Tata kelola", "source_row"]
    assert sg_rows.min() == 6  # header moved from row 3 to row 5


def test_hidden_sheet_is_the_fallback_for_missing_fields(form):
    wb = openpyxl.load_workbook(form)
    wb["SS"]["G4"] = 2
    del wb["Petunjuk"]
    wb.save(form)
    t = load_answers(form).table
    assert set(t["region"]) == {"Kabupaten Gianyar"}
    assert set(t["cycle"]) == {2024}


def test_any_depth_of_instrument(tmp_path):
    table = pd.DataFrame({
        "code": ["IDX", "A", "B", "A1", "A2", "B1"],
        "parent": ["", "IDX", "IDX", "A", "A", "B"],
        "min": ["", "", "", "0", "1", "0"],
        "max": ["", "", "", "100", "5", "1"],
        "name_id": ["Indeks", "Dimensi A", "Dimensi B", "Persentase layanan", "Tingkat", "Ada/tidak"],
    })
    small = framework_from_table(table, version="t1")
    path = write_template(tmp_path / "small.xlsx", "Kota Banjar", 2025, small)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", "A", "B", META_SHEET]
    ws = wb["A"]
    assert ws["B4"].value is None  # no sub-dimension level
    assert ws["F4"].value == "angka dari 0 sampai 100"
    ranges = sorted((dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation)
    assert ranges == [("0", "100"), ("1", "5")]
    ws["G4"], ws["G5"], wb["B"]["G4"] = 62.5, 3, 1
    wb.save(path)
    t = load_answers(path, small).table.set_index("indicator")
    assert t["value"].to_dict() == {"A1": 62.5, "A2": 3.0, "B1": 1.0}


# --- command line ----------------------------------------------------------------------------


def test_cli_writes_a_form_and_never_overwrites(tmp_path, capsys):
    out = tmp_path / "forms" / "parepare.xlsx"
    argv = ["template", "--region", "Kota Parepare", "--cycle", "2025", "--respondent", "Bappeda",
            "-o", str(out)]
    assert main(argv) == 0
    assert str(out) in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb["Petunjuk"]["B4"].value == "Kota Parepare"
    assert wb["Petunjuk"]["B6"].value == "Bappeda"
    before = out.read_bytes()
    assert main(argv) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main([*argv, "--force"]) == 0


def test_cli_without_region_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as excinfo:
        main(["template", "--cycle", "2025", "-o", str(tmp_path / "x.xlsx")])
    assert excinfo.value.code == 2


def test_write_template_refuses_bad_arguments(tmp_path):
    with pytest.raises(SmartCityError) as excinfo:
        write_template(tmp_path / "x.csv", "Kota Solok", 2024)
    assert excinfo.value.codes == ["SC401"]
    with pytest.raises(SmartCityError) as excinfo:
        write_template(tmp_path / "x.xlsx", "  ", 2024)
    assert excinfo.value.codes == ["SC307"]
    with pytest.raises(SmartCityError) as excinfo:
        write_template(tmp_path / "x.xlsx", "Kota Solok", np.int64(24))
    assert excinfo.value.codes == ["SC308"]
    for region, code in (("Kab Pekalongn", "SC315"), ("Pekalongan", "SC316")):
        with pytest.raises(SmartCityError) as excinfo:
            write_template(tmp_path / "x.xlsx", region, 2024)
        assert excinfo.value.codes == [code]
    assert not (tmp_path / "x.xlsx").exists()


def test_form_for_a_unit_outside_the_register_needs_the_unit_table(tmp_path):
    table = tmp_path / "units.csv"
    table.write_text("alias,region,type\nKEK Kendal,Kawasan Ekonomi Khusus Kendal,kawasan\n", encoding="utf-8")
    path = write_template(tmp_path / "kek.xlsx", "KEK Kendal", 2024, aliases=table)
    assert openpyxl.load_workbook(path)["Petunjuk"]["B4"].value == "Kawasan Ekonomi Khusus Kendal"
    wb = openpyxl.load_workbook(path)
    wb["SG"]["G4"] = 3
    wb.save(path)
    t = load_answers(path, region_aliases=table).table
    assert set(t["region"]) == {"Kawasan Ekonomi Khusus Kendal"} and set(t["region_type"]) == {"kawasan"}


# --- nothing typed disappears ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from smartcity_analysis.input.readers import MISSING_TOKENS, parse_numbers  # noqa: E402

_values = st.one_of(
    st.none(), st.integers(-2, 8), st.floats(-1, 7, allow_nan=False).map(lambda x: round(x, 2)),
    st.sampled_from(["3,5", " 4 ", "4.5", "-", "N/A", "tidak ada", "kosong", "", "  ", "lima", "3,5x", "TRUE",
                     "80%", "2e0", "1.234,5"]),
)
_evidence = st.one_of(
    st.none(), st.sampled_from(["Perbup No. 12 Tahun 2023", "https://x.go.id/sop", "4", "3,5", "-", "SK 7/2024",
                                "2023", "ꦥꦿꦠꦸꦫꦤ꧀", ""]),
)


@pytest.fixture(scope="module")
def blank_solok_form(tmp_path_factory):
    return write_template(tmp_path_factory.mktemp("forms") / "source.xlsx", "Kota Solok", 2024)


def _expected(value: object) -> tuple[str, float | None]:
    """What the loader must make of one typed Nilai cell: ("blank" | "number" | "bad", number)."""
    if value is None or str(value).strip() == "":
        return "blank", None
    numbers, bad = parse_numbers(pd.Series([value], dtype=object))
    if bad[0]:
        return "bad", None
    if np.isnan(numbers[0]):
        assert str(value).strip().lower() in MISSING_TOKENS
        return "blank", None
    return "number", float(numbers[0])


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.dictionaries(st.integers(0, 55), st.tuples(_values, _evidence), min_size=1, max_size=20),
       deleted=st.sampled_from([None, None, None, "row", "sheet"]))
def test_every_value_typed_in_a_form_is_loaded_or_named_in_a_problem(tmp_path, blank_solok_form, framework,
                                                                     cells, deleted):
    """The property: a non-blank Nilai or Bukti dukung cell is either in the loaded table, with
    the number it says (or blank, for a no-answer word), or a problem names its cell, its sheet or
    the file; a deleted row or sheet is named too. Nothing disappears without a word."""
    wb = openpyxl.load_workbook(blank_solok_form)
    where = code_cells(wb)
    codes = framework.indicators
    typed: dict[tuple[str, int], tuple[str, object, object]] = {}
    for i, (value, evidence) in cells.items():
        sheet, row = where[codes[i]]
        wb[sheet].cell(row, 7).value = value
        wb[sheet].cell(row, 8).value = evidence
        typed[(sheet, row)] = (codes[i], value, evidence)
    removed: set[str] = set()
    if deleted == "sheet":
        sheet = where[codes[min(cells)]][0]
        removed = {c for c in codes if where[c][0] == sheet}
        del wb[sheet]
    elif deleted == "row":
        sheet, row = where[codes[min(cells)]]
        removed = {codes[min(cells)]}
        wb[sheet].delete_rows(row, 1)
        typed = {(s, r - 1 if s == sheet and r > row else r): v for (s, r), v in typed.items()
                 if (s, r) != (sheet, row)}
    path = tmp_path / "solok_2024.xlsx"
    wb.save(path)

    must_fail: set[tuple[str, str, str | None]] = set()  # (code, sheet, cell) of problems that must be named
    for (sheet, row), (code, value, evidence) in typed.items():
        kind, number = _expected(value)
        lo, hi = framework.scale(code)
        if kind == "bad":
            must_fail.add(("SC303", sheet, f"G{row}"))
        elif kind == "number" and not lo <= number <= hi:
            must_fail.add(("SC304", sheet, f"G{row}"))
        elif kind == "blank" and _expected(evidence)[0] == "number" and str(evidence).strip().lower() not in (
                MISSING_TOKENS):
            must_fail.add(("SC322", sheet, f"H{row}"))
    if removed:
        must_fail.add(("SC321" if deleted == "sheet" else "SC323", None, None))
    if not any(_expected(v)[0] != "blank" for _, v, _ in typed.values()) and not any(
            e not in (None, "") and str(e).strip() for _, _, e in typed.values()):
        must_fail.add(("SC306", None, None))  # nothing typed that stayed: the form is unfilled

    try:
        answers = load_answers(path, framework)
    except SmartCityError as exc:
        named = {(p.code, p.location.sheet, p.location.cell) for p in exc.problems}
        codes_named = {p.code for p in exc.problems}
        assert all(p.location.file == path.name for p in exc.problems)
        for code, sheet, cell in must_fail:
            assert (code, sheet, cell) in named or (cell is None and code in codes_named) or (
                "SC306" in codes_named), (code, sheet, cell, exc.format("en"))
        assert must_fail or codes_named <= {"SC306"}, exc.format("en")
        return
    assert not must_fail, must_fail
    t = answers.table.set_index(["source_sheet", "source_row"])
    for (sheet, row), (code, value, evidence) in typed.items():
        kind, number = _expected(value)
        loaded = t.loc[(sheet, row)]
        assert loaded["indicator"] == code
        if kind == "number":
            assert math.isclose(loaded["value"], number), (value, loaded["value"])
        else:
            assert np.isnan(loaded["value"])
        if evidence is not None and str(evidence).strip():
            from smartcity_analysis.input.readers import clean_text

            assert loaded["evidence"] == clean_text(evidence)
