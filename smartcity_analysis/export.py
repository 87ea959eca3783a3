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
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Location, RunError
from .i18n import localise_columns, term

#: Fill colours of maturity levels 1..5 (light, print-safe; ordered sequential scheme).
MATURITY_FILLS = ("F4CCCC", "FCE5CD", "FFF2CC", "D9EAD3", "B6D7A8")


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb") -> Iterator:
    """Open a temporary sibling of ``path``; on success it replaces ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8, dot decimals, ISO-like: for machines and reruns (stable bytes)."""
    try:
        with atomic_write(path, "w") as handle:
            frame.to_csv(handle, index=False, float_format="%.10g", lineterminator="\n")
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


def write_workbook(sheets: dict[str, pd.DataFrame], path: str | Path, *, lang: str = "id",
                   about: dict[str, object] | None = None, maturity_column: str = "maturity_level",
                   localise: bool = True) -> Path:
    """A formatted xlsx: one sheet per table, frozen header, formats, widths, maturity colours.

    Sheet keys may be :data:`~.i18n.TERMS` keys (``sheet:scores``) or literal names. ``about``
    becomes a last sheet of key/value rows (the recipe).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    level_fills = [PatternFill("solid", fgColor=c) for c in MATURITY_FILLS]
    for key, frame in sheets.items():
        title = term(key, lang)[:31]
        ws = workbook.create_sheet(title)
        columns = list(frame.columns)
        headers = localise_columns(columns, lang) if localise else [str(c) for c in columns]
        ws.append(headers)
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
        for row in values:
            ws.append([_cell_value(v) for v in row])
        ws.freeze_panes = "A2"
        if len(frame):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
        formats = []
        for j, column in enumerate(columns, start=1):
            series = frame[column]
            fmt = None
            if pd.api.types.is_float_dtype(series.dtype):
                fmt = "0.0%" if column in ("coverage", "missing_share") else "0.00"
            formats.append(fmt)
            sample = [str(headers[j - 1])] + [str(v) for v in series.head(200).tolist()]
            ws.column_dimensions[get_column_letter(j)].width = min(max(len(t) for t in sample) + 2, 60)
        row_fills = [None] * len(frame)
        if maturity_column in columns and len(frame):
            levels = pd.to_numeric(frame[maturity_column], errors="coerce").to_numpy()
            row_fills = [level_fills[int(lvl) - 1] if not np.isnan(lvl) and 1 <= lvl <= len(level_fills)
                         else None for lvl in levels]
        if any(formats) or any(f is not None for f in row_fills):
            # One pass over the cells (ws[row] rescans the sheet on every call).
            for cells, fill in zip(ws.iter_rows(min_row=2, max_row=len(frame) + 1, max_col=len(columns)),
                                   row_fills, strict=True):
                for cell, fmt in zip(cells, formats, strict=True):
                    if fmt:
                        cell.number_format = fmt
                    if fill is not None:
                        cell.fill = fill
    if about:
        ws = workbook.create_sheet(term("sheet:about", lang)[:31])
        ws.append([term("name", lang), term("value", lang)])
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
        for key, value in about.items():
            ws.append([str(key), _about_value(value)])
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 90
    try:
        with atomic_write(path, "wb") as handle:
            workbook.save(handle)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


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


def write_scores(scores, out_dir: str | Path, lang: str = "id") -> list[Path]:
    """``scores.csv``, ``comparison.csv`` and a formatted ``scores.xlsx`` in ``out_dir``."""
    from .compare import cohort_statistics, comparison_table
    from .maturity import maturity_table

    out_dir = Path(out_dir)
    table = maturity_table(scores, lang=lang)
    table["name"] = table["code"].map(scores.framework.names(lang))
    comparison = comparison_table(scores)
    cohort = cohort_statistics(scores)
    written = [
        write_csv(table, out_dir / "scores.csv"),
        write_csv(comparison, out_dir / "comparison.csv"),
    ]
    dims = table[table["level"].isin(["index", "dimension"])]
    about = {"framework_version": scores.framework.version, **scores.recipe()}
    written.append(write_workbook(
        {"sheet:dimensions": dims, "sheet:scores": table, "sheet:comparison": comparison,
         "sheet:cohort": cohort},
        out_dir / "scores.xlsx", lang=lang, about=about,
    ))
    return written
