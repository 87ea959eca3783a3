"""Writing outputs: atomic files, CSV for machines, formatted Excel workbooks for people.

Every output goes through :func:`atomic_write`, so a reader never meets a half-written file
and an interrupted run leaves the previous file whole. The workbook writer freezes headers, sets
number formats and widths, and colours maturity levels, so one function formats every table.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.gaps import GapAnalysis, gap_sheet_frame
from ..errors import Location, RunError
from ..i18n import TERMS, localise_columns, term
from ..model.maturity import MATURITY_COLOURS

#: Fill colours of maturity levels 1..5: the charts' colours (:data:`~.maturity.MATURITY_COLOURS`).
MATURITY_FILLS = tuple(c.lstrip("#").upper() for c in MATURITY_COLOURS)
#: Levels whose fill is dark enough to need white text.
_WHITE_TEXT_LEVELS = (4, 5)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb") -> Iterator:
    """Open a temporary sibling of ``path``; on success it replaces ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8, dot decimals, ISO-like: for machines and reruns (stable bytes)."""
    try:
        with atomic_write(path, "w") as handle:
            frame.to_csv(handle, index=False, float_format="%.10g", lineterminator="\n")
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


@dataclass
class Sheet:
    """A table for a workbook sheet, with the cells to colour by maturity level.

    ``levels`` maps a column to the maturity level (1..5, 0 for none) of each of its cells;
    those cells get :data:`MATURITY_FILLS`. Headers are localised through :mod:`.i18n`
    (column names that are not term keys stay as they are).
    """

    frame: pd.DataFrame
    levels: dict[str, np.ndarray] = field(default_factory=dict)
    freeze: str = "A2"  # "B2" keeps the first column in view too


def write_workbook(sheets: dict[str, pd.DataFrame | Sheet], path: str | Path, *, lang: str = "id",
                   about: dict[str, object] | None = None) -> Path:
    """A formatted xlsx: one sheet per table, frozen header, formats, widths, maturity colours.

    Sheet keys may be :data:`~.i18n.TERMS` keys (``sheet:scores``) or literal names. ``about``
    becomes a last sheet of key/value rows (the recipe).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows (a national workbook has tens of thousands); every style is
    # set on the cell as it is written.
    workbook = Workbook(write_only=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    header_alignment = Alignment(wrap_text=True, vertical="center")
    level_fills = [None] + [PatternFill("solid", fgColor=c) for c in MATURITY_FILLS]
    white = Font(color="FFFFFF")

    def header_row(ws, labels):
        cells = []
        for label in labels:
            cell = WriteOnlyCell(ws, value=label)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_alignment
            cells.append(cell)
        ws.append(cells)

    for key, item in sheets.items():
        sheet = item if isinstance(item, Sheet) else Sheet(item)
        frame = sheet.frame
        ws = workbook.create_sheet(term(key, lang)[:31])
        columns = list(frame.columns)
        headers = localise_columns(columns, lang)
        ws.freeze_panes = sheet.freeze
        if len(frame):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
        formats = []
        for j, column in enumerate(columns, start=1):
            series = frame[column]
            fmt = None
            if pd.api.types.is_float_dtype(series.dtype):
                fmt = "0.0%" if column in ("coverage", "missing_share") else "0.0"
            formats.append(fmt)
            if pd.api.types.is_numeric_dtype(series.dtype):
                width = 14  # numbers: the header wraps instead of widening the column
            else:
                sample = [str(headers[j - 1])] + [str(v) for v in series.head(200).tolist()]
                width = min(max(len(t) for t in sample) + 2, 40)
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.row_dimensions[1].height = 48
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        header_row(ws, headers)
        fills = [
            [int(v) if 0 < v < len(level_fills) else 0 for v in sheet.levels[c]] if c in sheet.levels else None
            for c in columns
        ]
        styled = [j for j in range(len(columns)) if formats[j] or fills[j] is not None]
        values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
        for i, row in enumerate(values):
            out = [_cell_value(v) for v in row]
            for j in styled:
                cell = WriteOnlyCell(ws, value=out[j])
                if formats[j]:
                    cell.number_format = formats[j]
                level = fills[j][i] if fills[j] is not None else 0
                if level:
                    cell.fill = level_fills[level]
                    if level in _WHITE_TEXT_LEVELS:
                        cell.font = white
                out[j] = cell
            ws.append(out)
    if about:
        ws = workbook.create_sheet(term("sheet:about", lang)[:31])
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 90
        header_row(ws, [term("name", lang), term("value", lang)])
        for key, value in about.items():
            ws.append([str(key), _about_value(value)])
    try:
        with atomic_write(path, "wb") as handle:
            workbook.save(handle)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


def dimension_sheet(scores, cycle: int, lang: str = "id", ladder=None) -> Sheet:
    """People's table of one cycle: a row per region, index and dimension scores side by side,
    each cell coloured by its maturity level, with rank and the index's maturity name."""
    from ..analysis.compare import rank_scores
    from ..model.maturity import SPBE_LADDER

    ladder = ladder or SPBE_LADDER
    fw = scores.framework
    codes = [fw.root, *fw.dimensions]
    wide = scores.values[codes].xs(cycle, level="cycle")
    scale = scores.scale_range
    frame = pd.DataFrame({"region": wide.index.astype(str)})
    groups = scores.regions.xs(cycle, level="cycle")
    for column in groups.columns:
        frame[column] = groups[column].reindex(wide.index).to_numpy()
    frame["rank"] = rank_scores(scores.values[[fw.root]]).xs(cycle, level="cycle")[fw.root].to_numpy()
    frame["maturity"] = ladder.name_of(wide[fw.root].to_numpy(), scale, lang)
    levels = {}
    for code in codes:
        label = fw.name(code, lang) if code != fw.root else term("index", lang)
        frame[label] = wide[code].to_numpy()
        levels[label] = ladder.level_of(wide[code].to_numpy(), scale)
    levels["maturity"] = levels[term("index", lang)]
    order = frame["rank"].argsort(kind="stable").to_numpy()
    return Sheet(frame.iloc[order].reset_index(drop=True), {k: v[order] for k, v in levels.items()},
                 freeze="B2")


def _cell_value(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if value is pd.NA:
        return None
    return value


def _about_value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def score_sheet(table: pd.DataFrame, lang: str = "id") -> Sheet:
    """The long score table for people: localised level names, score cells coloured by level."""
    frame = table.drop(columns=[c for c in ("depth", "maturity_level") if c in table.columns])
    frame["level"] = frame["level"].map(lambda v: term(f"level:{v}", lang) if f"level:{v}" in TERMS else v)
    levels = table["maturity_level"].to_numpy() if "maturity_level" in table.columns else None
    return Sheet(frame, {"score": levels, "maturity": levels} if levels is not None else {})


def score_tables(scores, lang: str = "id") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long score table (with maturity and names) and the comparison table, all cycles."""
    from ..analysis.compare import comparison_table
    from ..model.maturity import maturity_table

    table = maturity_table(scores, lang=lang)
    table["name"] = table["code"].map(scores.framework.names(lang))
    return table, comparison_table(scores)


def write_scores(scores, out_dir: str | Path, lang: str = "id") -> list[Path]:
    """``scores.csv``, ``comparison.csv`` and a formatted ``scores.xlsx`` (``smartcity score``)."""
    from ..analysis.compare import cohort_statistics

    out_dir = Path(out_dir)
    table, comparison = score_tables(scores, lang)
    written = [
        write_csv(table, out_dir / "scores.csv"),
        write_csv(comparison, out_dir / "comparison.csv"),
    ]
    cohort = cohort_statistics(scores)
    about = {"framework_version": scores.framework.version, **scores.recipe()}
    latest = scores.latest_cycle
    written.append(write_workbook(
        {"sheet:dimensions": dimension_sheet(scores, latest, lang), "sheet:scores": score_sheet(table, lang),
         "sheet:comparison": comparison, "sheet:cohort": cohort},
        out_dir / "scores.xlsx", lang=lang, about=about,
    ))
    return written



def write_gaps(analysis: GapAnalysis, out_dir: str | Path, lang: str = "id") -> list[Path]:
    """``DIR/gaps.csv`` (machine columns) and ``DIR/gaps.xlsx`` (sheet "Analisis Kesenjangan")."""
    out_dir = Path(out_dir)
    csv_path = write_csv(analysis.table(lang), out_dir / "gaps.csv")
    xlsx_path = write_workbook({"sheet:gaps": gap_sheet_frame(analysis, lang)}, out_dir / "gaps.xlsx",
                               lang=lang, about=analysis.parameters)
    return [csv_path, xlsx_path]
