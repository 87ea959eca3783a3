"""The workbook writer at scale: rows streamed as XML, and tables longer than an Excel sheet."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis.presentation import workbook
from smartcity_analysis.presentation.workbook import Sheet, write_workbook


def _cell_by_cell(ws, kinds, data, level_lists, column_formats):
    """The reference: every data row through xlsxwriter's own write calls."""
    for i in range(len(data[0]) if data else 0):
        workbook._write_cells(ws, i + 1, kinds, [values[i] for values in data],
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
