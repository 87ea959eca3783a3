"""The workbook writer at scale: rows streamed as XML, and tables longer than an Excel sheet."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis.presentation import workbook
from smartcity_analysis.presentation.workbook import Sheet, write_workbook


def _cell_by_cell(ws, kinds, data, level_lists, column_formats, first=1):
    """The reference: every data row through xlsxwriter's own write calls."""
    for i in range(len(data[0]) if data else 0):
        workbook._write_cells(ws, i + first, kinds, [workbook._chunk(values, i, i + 1)[0] for values in data],
                              [0 if lv is None else int(lv[i]) for lv in level_lists], column_formats)


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"",
                                        parts["docProps/core.xml"])
    return parts


def _tricky_sheets() -> dict[str, object]:
    n = 11
    rng = np.random.default_rng(7)
    score = rng.uniform(0, 100, n)
    score[[2, 5]] = np.nan  # a missing score with a level gets a coloured blank
    score[3] = np.inf
    score[4] = -np.inf
    levels = np.array([1, 2, 3, 4, 5, 0, 7, -1, 3, 2, 1])  # 7 and -1: no colour
    texts = ["plain", " leading", "trailing ", "a & b < c > d \"q\"", "\x01control\x1f", "_x0041_",
             "<r>rich</r>", "", "x" * 40_000, "Kabupaten Ñusa – ünicode", "line\nbreak"]
    mixed = ["word", None, 3, True, 2.5, np.float64(1.5), np.int64(4), "again", None, False, "end"]
    scores = pd.DataFrame({
        "cycle": np.full(n, 2024), "region": [f"Kota {i % 4}" for i in range(n)], "score": score,
        "coverage": rng.uniform(0, 1, n), "n": np.arange(n), "big": [1e20, 1e-300, -0.0, 123456789012345678.0,
                                                                     0.1, 1 / 3, 2.0, -5.5, 7e15, 1e16, 42.0],
        "text": texts, "mixed": pd.Series(mixed, dtype=object), "flag": [bool(i % 2) for i in range(n)],
        "level": ["indicator", "dimension", "index", "other", None, "indicator", "sub-dimension", "x",
                  "dimension", "index", "indicator"],
        "maturity": [f"m{v}" for v in levels],
    })
    empty_tail = pd.DataFrame({"a": [1.0, np.nan, np.nan], "b": pd.Series(["x", None, None], dtype=object)})
    return {
        "sheet:scores": Sheet(scores, {"score": levels, "maturity": levels}),
        "sheet:dimensions": Sheet(scores.iloc[::-1].reset_index(drop=True), {"score": levels[::-1]}, freeze="B2"),
        "sheet:cohort": pd.DataFrame({"cycle": [0, 0], "x": [1.5, 2.5]}),  # unknown cycle: text cells
        "sheet:gaps": empty_tail,
        "sheet:readiness": pd.DataFrame({"a": [np.nan, np.nan], "b": [None, None]}),  # no cell after the header
        "sheet:comparison": pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=object)}),
        "literal name": pd.DataFrame({"only": ["one row"]}),
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_streamed_rows_are_the_bytes_xlsxwriter_writes_cell_by_cell(tmp_path, monkeypatch, lang):
    sheets = _tricky_sheets()
    about = {"cycle": 2024, "flag": None, "list": [1, 2]}
    monkeypatch.setattr(workbook, "_ROW_CHUNK", 3)  # chunk boundaries inside the tables
    streamed = write_workbook(sheets, tmp_path / "streamed.xlsx", lang=lang, about=about)
    monkeypatch.setattr(workbook, "_stream_rows", _cell_by_cell)
    reference = write_workbook(sheets, tmp_path / "reference.xlsx", lang=lang, about=about)
    ours, theirs = _parts(streamed), _parts(reference)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []


# --- tables longer than an Excel sheet --------------------------------------------------------


def test_the_limit_is_excels_rows_with_the_header_row():
    assert workbook.EXCEL_MAX_ROWS == 1_048_576 and workbook.EXCEL_MAX_COLUMNS == 16_384
    fits = pd.DataFrame({"x": np.zeros(1_048_575, dtype=np.int8)})
    parts, note = workbook.sheet_layout(Sheet(fits), "Skor")
    assert [(p.title, len(p.frame), p.note) for p in parts] == [("Skor", 1_048_575, None)] and note is None
    parts, note = workbook.sheet_layout(Sheet(pd.concat([fits, fits.iloc[:1]])), "Skor")
    # one row more: two sheets, each with a note row above its header
    assert [(p.title, len(p.frame)) for p in parts] == [("Skor (1)", 1_048_574), ("Skor (2)", 2)]
    assert parts[1].note.endswith("Lembar 2 dari 2: baris 1.048.575-1.048.576 dari 1.048.576")


def _read(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    return book, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_a_long_table_is_split_over_numbered_sheets_that_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 10)  # 8 rows a sheet under the note and header
    frame = pd.DataFrame({"region": [f"Desa {i}" for i in range(25)], "value": np.arange(25) / 4})
    path = write_workbook({"sheet:gaps": frame, "sheet:cohort": frame.iloc[:9]}, tmp_path / "w.xlsx")
    book, cells = _read(path)
    assert book.sheetnames == ["Analisis Kesenjangan (1)", "Analisis Kesenjangan (2)", "Analisis Kesenjangan (3)",
                               "Analisis Kesenjangan (4)", "Statistik Kohort", "Tentang"]
    parts = [cells[name] for name in book.sheetnames[:4]]
    assert parts[0][0][0] == ("25 baris: lebih dari satu lembar Excel, dibagi ke 4 lembar bernomor. "
                              "Lembar 1 dari 4: baris 1-8 dari 25")
    assert parts[3][0][0].endswith("Lembar 4 dari 4: baris 25-25 dari 25")
    assert all(part[1] == ["Daerah", "Nilai"] for part in parts)
    rows = [row for part in parts for row in part[2:]]
    assert rows == [[r, v] for r, v in zip(frame["region"], frame["value"], strict=True)]
    ws = book["Analisis Kesenjangan (2)"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:B10" and ws["A2"].font.b
    assert cells["Statistik Kohort"][0] == ["Daerah", "Nilai"] and len(cells["Statistik Kohort"]) == 10  # fits
    assert ["Analisis Kesenjangan", "25 baris: lebih dari satu lembar Excel, dibagi ke 4 lembar bernomor"] \
        in cells["Tentang"]


def _long_scores(regions: int, codes: int) -> pd.DataFrame:
    rows = [(2024, f"Desa {r}", f"C{c}", float(10 * r + c), (r + c) % 5 + 1)
            for r in range(regions) for c in range(codes)]
    table = pd.DataFrame(rows, columns=["cycle", "region", "code", "score", "maturity_level"])
    return table.assign(level="indicator", coverage=1.0, maturity="x", name="n")


def test_a_long_score_table_is_laid_out_wide_and_says_so(tmp_path, monkeypatch):
    from smartcity_analysis.presentation.workbook import MATURITY_FILLS, score_sheet

    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 10)
    table = _long_scores(3, 4)  # 12 rows: wide, 3 rows of 4 scores
    for lang, said in (("id", "12 baris: lebih dari satu lembar Excel; disusun melebar, satu baris per Siklus, "
                              "Daerah dan satu kolom per Kode berisi Skor"),
                       ("en", "12 rows: more than one Excel sheet holds; laid out wide, one row per Cycle, Region "
                              "and one column per Code holding Score")):
        path = write_workbook({"sheet:scores": score_sheet(table, lang)}, tmp_path / f"{lang}.xlsx", lang=lang)
        book, cells = _read(path)
        name = "Skor" if lang == "id" else "Scores"
        assert book.sheetnames == [name, "Tentang" if lang == "id" else "About"]
        assert cells[name][0][0] == said
        assert cells[name][1] == [term for term in (("Siklus", "Daerah") if lang == "id" else ("Cycle", "Region"))] \
            + ["C0", "C1", "C2", "C3"]
        assert cells[name][2:] == [[2024, f"Desa {r}", *(float(10 * r + c) for c in range(4))] for r in range(3)]
        ws = book[name]
        assert ws.freeze_panes == "C3"
        level = (1 + 2) % 5 + 1  # Desa 1, C2
        assert ws["E4"].fill.fgColor.rgb == "FF" + MATURITY_FILLS[level - 1] and ws["E4"].number_format == "0.0"
        assert [name, said] in cells[book.sheetnames[1]]


def test_a_wide_table_still_too_long_is_split_and_an_impossible_one_stays_long(monkeypatch):
    from smartcity_analysis.presentation.workbook import score_sheet

    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 4)  # 2 rows a sheet
    parts, note = workbook.sheet_layout(score_sheet(_long_scores(3, 2), "en"), "Scores", "en")
    assert [(p.title, len(p.frame), list(p.frame.columns)) for p in parts] == [
        ("Scores (1)", 2, ["cycle", "region", "C0", "C1"]), ("Scores (2)", 1, ["cycle", "region", "C0", "C1"])]
    assert note.startswith("6 rows: more than one Excel sheet holds; laid out wide") and "split over 2" in note
    assert parts[1].note.endswith("Sheet 2 of 2: rows 3-3 of 3")
    twice = _long_scores(2, 2)
    twice.loc[1, "code"] = "C0"  # one region with a code twice: no one cell for it
    parts, note = workbook.sheet_layout(score_sheet(twice, "en"), "Scores", "en")
    assert [len(p.frame) for p in parts] == [2, 2] and "laid out wide" not in note
    assert "score" in parts[0].frame.columns


def test_desa_tables_longer_than_a_sheet_are_wide_and_point_to_their_csv(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from smartcity_analysis.presentation.workbook import (
        comparison_sheet,
        gap_sheet,
        readiness_sheet,
    )

    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 10)
    regions = [f"Desa {r}" for r in range(3)]
    readiness = pd.DataFrame([(2025, r, d, a, 10.0 * i + j, 2) for i, r in enumerate(regions)
                              for j, (d, a) in enumerate([("SG", "Struktur"), ("SG", "Infrastruktur"),
                                                          ("SB", "Struktur"), ("SB", "Infrastruktur")])],
                             columns=["cycle", "region", "dimension", "aspect", "score", "n_indicators"])
    comparison = pd.DataFrame([(2025, r, c, 50.0, float(i + 1), 3) for i, r in enumerate(regions)
                               for c in ("SG", "SB", "SE", "SL")],
                              columns=["cycle", "region", "code", "score", "rank", "n_ranked"])
    gaps = SimpleNamespace(gaps=comparison[["cycle", "region", "code"]].assign(
        gap=[0.5 * k for k in range(12)], current=1.0))
    sheets = {"sheet:readiness": readiness_sheet(readiness, "tables/readiness_matrix.csv"),
              "sheet:comparison": comparison_sheet(comparison, "tables/comparison.csv"),
              "sheet:gaps": gap_sheet(gaps, "en", "tables/gaps.csv")}
    path = write_workbook(sheets, tmp_path / "desa.xlsx", lang="en")
    book, cells = _read(path)
    assert book.sheetnames == ["Readiness matrix", "Comparison", "Gap analysis", "About"]
    note = cells["Readiness matrix"][0][0]
    assert note == ("12 rows: more than one Excel sheet holds; laid out wide, one row per Cycle, Region and one "
                    "column per Dimension, Aspect holding Score. The complete table (every column, a row per "
                    "value): tables/readiness_matrix.csv")
    assert cells["Readiness matrix"][1] == ["Cycle", "Region", "SG · Struktur", "SG · Infrastruktur", "SB · Struktur",
                                     "SB · Infrastruktur"]
    assert cells["Readiness matrix"][2:] == [[2025, r, *(10.0 * i + j for j in range(4))] for i, r in enumerate(regions)]
    assert cells["Comparison"][1] == ["Cycle", "Region", "SG", "SB", "SE", "SL"]
    assert cells["Comparison"][2:] == [[2025, r, *[i + 1] * 4] for i, r in enumerate(regions)]
    assert book["Comparison"]["C3"].number_format == "General"  # ranks are whole numbers
    assert cells["Gap analysis"][0][0].endswith("tables/gaps.csv")
    assert cells["Gap analysis"][2:] == [[2025, r, *(0.5 * (4 * i + k) for k in range(4))]
                                         for i, r in enumerate(regions)]
    about = {row[0]: row[1] for row in cells["About"][1:]}
    assert about["Comparison"].endswith("The complete table (every column, a row per value): tables/comparison.csv")
    # tables that fit stay as they are (the national workbook)
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 1_048_576)
    assert comparison_sheet(comparison, "tables/comparison.csv") == workbook.Sheet(comparison)
    assert readiness_sheet(readiness).frame is readiness


def test_a_big_workbook_is_zipped_faster_with_the_same_parts(tmp_path, monkeypatch):
    sheets = _tricky_sheets()
    normal = write_workbook(sheets, tmp_path / "normal.xlsx")
    monkeypatch.setattr(workbook, "FAST_ZIP_CELLS", 1)
    fast = write_workbook(sheets, tmp_path / "fast.xlsx")
    assert _parts(fast) == _parts(normal)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(normal) as b:
        sheet = "xl/worksheets/sheet1.xml"
        assert a.getinfo(sheet).compress_size > b.getinfo(sheet).compress_size  # level 1, not 6


@pytest.mark.parametrize("chunk", [2, 5, 1000])
def test_rows_put_together_with_numpy_are_the_bytes_xlsxwriter_writes(tmp_path, monkeypatch, chunk):
    sheets = _tricky_sheets()
    for key in ("sheet:scores", "sheet:dimensions"):  # no mixed column nor long text: every chunk by numpy
        sheet = sheets[key]
        sheet.frame = sheet.frame.drop(columns="mixed").assign(
            text=[t[:300] for t in sheet.frame["text"]], maturity=lambda t: t["maturity"].where(t.index % 3 > 0))
    made = []
    original = workbook._chunk_xml
    monkeypatch.setattr(workbook, "_chunk_xml", lambda *a: made.append(original(*a)) or made[-1])
    monkeypatch.setattr(workbook, "_ROW_CHUNK", chunk)
    streamed = write_workbook(sheets, tmp_path / "streamed.xlsx", lang="en")
    assert made and all(xml is not None for xml in made)
    monkeypatch.setattr(workbook, "_stream_rows", _cell_by_cell)
    reference = write_workbook(sheets, tmp_path / "reference.xlsx", lang="en")
    ours, theirs = _parts(streamed), _parts(reference)
    assert [name for name in ours if ours[name] != theirs[name]] == []
