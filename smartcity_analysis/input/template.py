"""The Excel form a regional office (OPD) fills by hand, and its reader.

:func:`write_template` builds one workbook per region, cycle and (optionally) respondent from the
instrument; :func:`read_template` turns a returned workbook into raw answer records that
:mod:`.loading` validates like any other input.

Layout (``LAYOUT_VERSION`` 1)
-----------------------------
``Petunjuk`` (``Instructions`` when ``lang="en"``)
    Title, then the form's header fields as label/value pairs: ``A4`` "Daerah" / ``B4`` region,
    ``A5`` "Siklus" / ``B5`` cycle (both locked), ``A6`` "Responden / OPD" / ``B6`` respondent,
    ``A7`` "Provinsi" / ``B7`` province (both editable); then an optional note (``A9``) and the
    filling instructions.
one sheet per dimension, named by its code (``SG``, ``SB``, ...)
    Row 1 the dimension's name, row 2 a hint, row 3 the header ``Kode, Sub-dimensi, Aspek,
    Indikator, Pertanyaan, Skala, Nilai, Bukti dukung``, then one row per indicator. Only
    ``Nilai`` (column G, validated as a decimal within the indicator's range) and ``Bukti
    dukung`` (column H) are unlocked.
``_smartcity`` (hidden)
    ``key, value`` rows: layout version, region, cycle, respondent, province, framework version
    and fingerprint, language, note. Its presence is what marks a workbook as a template.

Sheets are protected **without a password**: protection only guards codes, region and cycle
against slips of the keyboard. Anyone may unprotect a sheet (Review > Unprotect Sheet).

The reader does not trust sheet names or positions (people rename, reorder and insert rows):
dimension sheets are recognised by their header row (``Kode`` ... ``Nilai``), and the header
fields by their labels; the hidden sheet is the fallback for fields whose label is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Bilingual, Location, OptionError, ProblemCollector, RunError, column_letter
from .framework import Framework, default_framework
from .readers import (
    clean_text,
    display_name,
    flagged_cells,
    read_sheet_rows,
    sheet_states,
)
from .regions import canonical_region, find_region, load_region_aliases, resolve_region

__all__ = ["LAYOUT_VERSION", "META_SHEET", "FormRecords", "write_template", "is_template", "read_template",
           "template_records"]

LAYOUT_VERSION = "1"
META_SHEET = "_smartcity"
_HEADER_SCAN_ROWS = 30

# Standard keys of the indicator table, in column order, with their labels per language.
_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    # key, Indonesian, English, width
    ("code", "Kode", "Code", 12),
    ("sub_dimension", "Sub-dimensi", "Sub-dimension", 18),
    ("aspect", "Aspek", "Aspect", 14),
    ("indicator", "Indikator", "Indicator", 32),
    ("question", "Pertanyaan", "Question", 60),
    ("scale", "Skala", "Scale", 46),
    ("value", "Nilai", "Value", 10),
    ("evidence", "Bukti dukung", "Evidence", 42),
)
_FIELDS: tuple[tuple[str, str, str], ...] = (
    # key, Indonesian label, English label; written to rows 4.. of the instructions sheet
    ("region", "Daerah", "Region"),
    ("cycle", "Siklus", "Cycle"),
    ("respondent", "Responden / OPD", "Respondent / agency"),
    ("province", "Provinsi", "Province"),
)
_FIELD_FIRST_ROW = 4
_HEADER_ROW = 3  # of dimension sheets, as written (readers search for it)


@lru_cache(maxsize=4096)
def _label_key(text: object) -> str:
    """A label as compared: lower case, single spaces, no colon, no spaces around '/'."""
    text = re.sub(r"\s+", " ", clean_text(text).lower()).rstrip(":").strip()
    return re.sub(r"\s*/\s*", "/", text)


_COLUMN_LOOKUP = {
    **{_label_key(label): key for key, id_label, en_label, _ in _COLUMNS for label in (id_label, en_label)},
    "bukti": "evidence", "kode indikator": "code", "indicator code": "code", "skor": "value",
}
_FIELD_LOOKUP = {
    **{_label_key(label): key for key, id_label, en_label in _FIELDS for label in (id_label, en_label)},
    "responden": "respondent",
}

_TEXT = {
    "id": {
        "instructions_sheet": "Petunjuk",
        "title": "Formulir Penilaian Kesiapan Smart City",
        "subtitle": "{name}; instrumen versi {version}",
        "howto": "Petunjuk pengisian",
        "steps": (
            "Formulir ini diisi oleh satu perangkat daerah (OPD). Tulis nama OPD pada isian "
            "Responden / OPD dan nama provinsi pada isian Provinsi di atas. Daerah dan siklus sudah "
            "terisi dan dikunci.",
            "Setiap dimensi ada di lembar tersendiri ({sheets}). Jawab setiap pertanyaan pada kolom "
            "Nilai (sel berwarna kuning).",
            "Skala: {scale} sesuai uraian pada kolom Skala; angka kecil berarti belum ada atau masih "
            "rintisan, angka besar berarti sudah matang (optimum). Nilai tengah seperti 3,5 boleh. "
            "Untuk indikator yang uraiannya menyebut \"nilai makin tinggi makin buruk\", isi tetap "
            "sesuai uraian skalanya.",
            "Bukti dukung: tuliskan dasar setiap nilai pada kolom Bukti dukung, misalnya nomor "
            "regulasi (Perbup No. 12 Tahun 2023), tautan dokumen atau aplikasi, atau nama dokumen "
            "(SOP, DPA, laporan). Nilai tanpa bukti dukung dapat dikoreksi saat verifikasi.",
            "Biarkan Nilai kosong bila jawabannya benar-benar tidak diketahui; jangan isi 0 atau "
            "tanda lain.",
            "Jangan mengganti nama atau menghapus lembar, jangan menghapus baris, dan jangan mengubah "
            "kolom Kode: kode dipakai untuk membaca jawaban. Lembar dilindungi tanpa kata sandi hanya "
            "untuk mencegah salah ketik; bila proteksi dibuka, ubah hanya Nilai dan Bukti dukung.",
            "Simpan sebagai Excel Workbook (.xlsx) dan kirimkan kembali berkas ini; jangan menyalin "
            "isinya ke berkas baru.",
        ),
        "scale_one": "isi angka dari {lo} sampai {hi}",
        "scale_many": "isi angka dalam rentang yang tertera pada setiap indikator",
        "hint": "Isi kolom Nilai dan Bukti dukung (sel berwarna kuning). Jangan mengubah kolom Kode.",
        "scale_fallback": "angka dari {lo} sampai {hi}",
        "dv_title": "Nilai tidak sah",
        "dv_error": "Isi angka dari {lo} sampai {hi} (boleh desimal, misalnya 3,5), atau kosongkan.",
        "dv_prompt_title": "Nilai",
        "dv_prompt": "Angka {lo} sampai {hi}",
    },
    "en": {
        "instructions_sheet": "Instructions",
        "title": "Smart City Readiness Assessment Form",
        "subtitle": "{name}; instrument version {version}",
        "howto": "How to fill in this form",
        "steps": (
            "One agency (OPD) fills in this form. Write the agency's name under Respondent / agency "
            "and the province under Province above. Region and cycle are filled in and locked.",
            "Each dimension has its own sheet ({sheets}). Answer every question in the Value column "
            "(yellow cells).",
            "Scale: {scale} following the Scale column; low numbers mean absent or just started, "
            "high numbers mean mature (optimum). Half points such as 3.5 are allowed. For indicators "
            "whose scale says \"higher is worse\", still answer as the scale describes.",
            "Evidence: write the basis of every value in the Evidence column, e.g. a regulation "
            "number (Perbup No. 12 Tahun 2023), a link to a document or an application, or a "
            "document's name (SOP, budget, report). Values without evidence may be corrected at "
            "verification.",
            "Leave Value blank when the answer is truly unknown; do not write 0 or another sign.",
            "Do not rename or delete sheets, do not delete rows and do not change the Code column: "
            "codes are how answers are read. Sheets are protected without a password only against "
            "slips; if you unprotect one, change nothing but Value and Evidence.",
            "Save as Excel Workbook (.xlsx) and send this file back; do not copy its content into "
            "a new file.",
        ),
        "scale_one": "write a number from {lo} to {hi}",
        "scale_many": "write a number within each indicator's range",
        "hint": "Fill in Value and Evidence (yellow cells). Do not change the Code column.",
        "scale_fallback": "a number from {lo} to {hi}",
        "dv_title": "Invalid value",
        "dv_error": "Enter a number from {lo} to {hi} (decimals allowed, e.g. 3.5), or leave it blank.",
        "dv_prompt_title": "Value",
        "dv_prompt": "A number from {lo} to {hi}",
    },
}

_INPUT_FILL = "FFF2CC"
_HEADER_FILL = "1F4E78"
_TITLE_FILL = "DDEBF7"


# --- writing ---------------------------------------------------------------------------------


def write_template(
    path: str | Path,
    region: str,
    cycle: int,
    framework: Framework | None = None,
    *,
    respondent: str | None = None,
    province: str | None = None,
    lang: str = "id",
    note: str | None = None,
    aliases: str | Path | None = None,
) -> Path:
    """Write the fill-in form of ``framework`` for one region and cycle.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (parent folders are created; an existing file is replaced).
    region
        The region's name, resolved to the Kemendagri register ("Kab. Gianyar" becomes
        "Kabupaten Gianyar"; an unknown or ambiguous name is refused, SC315/SC316), or a unit
        outside the register that ``aliases`` declares.
    cycle
        The assessment year.
    framework
        The instrument; the built-in default when None. Names, questions and scale texts come
        from it, in ``lang``.
    respondent, province
        Prefilled into the editable header fields.
    lang
        ``"id"`` (default) or ``"en"``: labels, instructions and indicator texts.
    note
        A line shown in bold under the header fields, e.g. "data sintetis" for sample data.
    aliases
        A user's alias/unit table (:func:`~.regions.load_region_aliases`).

    Returns
    -------
    Path
        The file written.
    """
    from openpyxl import Workbook

    framework = framework or default_framework()
    path = Path(path)
    if lang not in _TEXT:
        raise OptionError.single("SC401", Location(), detail=Bilingual(f"bahasa '{lang}' (id / en)", f"lang '{lang}' (id / en)"))
    if path.suffix.lower() != ".xlsx":
        raise OptionError.single("SC401", Location(str(path)), detail=Bilingual("nama berkas harus berakhiran .xlsx", "the file must end in .xlsx"))
    unit = find_region(region, aliases=load_region_aliases(aliases))  # SC307 / SC315-SC318
    region = unit.label
    if not isinstance(cycle, (int, np.integer)) or not 1900 <= int(cycle) <= 2200:
        raise OptionError.single("SC308", Location(), value=str(cycle))
    cycle = int(cycle)
    text = _TEXT[lang]

    groups = _indicator_groups(framework)
    sheet_names = _sheet_names([code for code, _ in groups], reserved={text["instructions_sheet"], META_SHEET})

    wb = Workbook()
    wb.properties.creator = "smartcity_analysis"
    wb.properties.title = f"{text['title']}: {region} {cycle}"
    fields = {"region": region, "cycle": cycle, "respondent": respondent, "province": province}
    _write_instructions(wb.active, framework, text, lang, fields, note, sheet_names)
    for (dimension, codes), sheet_name in zip(groups, sheet_names, strict=True):
        _write_dimension(wb.create_sheet(sheet_name), framework, dimension, codes, text, lang)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for row in (
        ("key", "value"),
        ("layout_version", LAYOUT_VERSION),
        ("region", region),
        ("cycle", cycle),
        ("respondent", respondent or ""),
        ("province", province or ""),
        ("framework_version", framework.version),
        ("framework_fingerprint", framework.fingerprint()),
        ("lang", lang),
        ("note", note or ""),
    ):
        meta.append(row)
    meta.protection.sheet = True

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return path


def _indicator_groups(framework: Framework) -> list[tuple[str, list[str]]]:
    """Indicators grouped by dimension (the ancestor at depth 1), in instrument order.

    Indicators hanging directly under the root share one group named after the root. Computed
    once per instrument (every form read checks its rows against them).
    """
    cache = framework.__dict__.setdefault("_template_groups", [])
    if not cache:
        cache.append(_groups_of(framework))
    return [(key, list(codes)) for key, codes in cache[0]]


def _groups_of(framework: Framework) -> list[tuple[str, list[str]]]:
    dimension_of = framework.ancestor_at(1)
    depth = framework.table["depth"]
    groups: dict[str, list[str]] = {}
    for code in framework.indicators:
        key = dimension_of[code] if depth[code] >= 2 else framework.root
        groups.setdefault(key, []).append(code)
    return list(groups.items())


def _sheet_names(codes: list[str], reserved: set[str]) -> list[str]:
    """Valid, distinct Excel sheet names for dimension codes (31 characters, no []:*?/\\)."""
    out: list[str] = []
    taken = {r.lower() for r in reserved}
    for code in codes:
        base = re.sub(r"[\[\]:*?/\\']", "-", code)[:31] or "Dimensi"
        name, n = base, 2
        while name.lower() in taken:
            suffix = f"_{n}"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.lower())
        out.append(name)
    return out


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="A6A6A6")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="top"),
        "left": Alignment(horizontal="left", vertical="top", wrap_text=True),
        "header_font": Font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor=_HEADER_FILL),
        "title_font": Font(bold=True, size=14),
        "title_fill": PatternFill("solid", fgColor=_TITLE_FILL),
        "bold": Font(bold=True),
        "note_font": Font(bold=True, color="C00000"),
        "input_fill": PatternFill("solid", fgColor=_INPUT_FILL),
        "unlocked": Protection(locked=False),
    }


def _protect(ws) -> None:
    """Protect a sheet without a password; resizing and inserting rows stay allowed."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False


def _print_setup(ws, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _write_instructions(ws, framework: Framework, text: dict, lang: str, fields: dict,
                        note: str | None, sheet_names: list[str]) -> None:
    s = _styles()
    ws.title = text["instructions_sheet"]
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    ws["A1"] = text["title"]
    ws["A1"].font = s["title_font"]
    ws["A2"] = text["subtitle"].format(name=framework.name(framework.root, lang), version=framework.version)
    for offset, (key, id_label, en_label) in enumerate(_FIELDS):
        row = _FIELD_FIRST_ROW + offset
        label = ws.cell(row, 1, id_label if lang == "id" else en_label)
        label.font = s["bold"]
        label.border = s["border"]
        value = ws.cell(row, 2, fields[key])
        value.border = s["border"]
        value.alignment = s["left"]
        if key in ("respondent", "province"):
            value.protection = s["unlocked"]
            value.fill = s["input_fill"]
    row = _FIELD_FIRST_ROW + len(_FIELDS) + 1
    if note:
        ws.cell(row, 1, note).font = s["note_font"]
    row += 2
    ws.cell(row, 1, text["howto"]).font = s["bold"]
    ranges = {framework.scale(c) for c in framework.indicators}
    if len(ranges) == 1 and not any(np.isnan(v) for v in next(iter(ranges))):
        lo, hi = next(iter(ranges))
        scale = text["scale_one"].format(lo=_num(lo, lang), hi=_num(hi, lang))
    else:
        scale = text["scale_many"]
    for i, step in enumerate(text["steps"], start=1):
        row += 1
        ws.cell(row, 1, f"{i}.").alignment = s["center"]
        cell = ws.cell(row, 2, step.format(sheets=", ".join(sheet_names), scale=scale))
        cell.alignment = s["wrap"]
    _protect(ws)
    _print_setup(ws)


def _write_dimension(ws, framework: Framework, dimension: str, codes: list[str], text: dict,
                     lang: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    s = _styles()
    t = framework.table
    sub_of = framework.ancestor_at(2)
    last = column_letter(len(_COLUMNS))
    ws["A1"] = f"{dimension} - {framework.name(dimension, lang)}"
    ws["A1"].font = s["title_font"]
    ws.merge_cells(f"A1:{last}1")
    for cell in ws[1]:
        cell.fill = s["title_fill"]
    ws["A2"] = text["hint"]
    for j, (_, id_label, en_label, width) in enumerate(_COLUMNS, start=1):
        cell = ws.cell(_HEADER_ROW, j, id_label if lang == "id" else en_label)
        cell.font = s["header_font"]
        cell.fill = s["header_fill"]
        cell.border = s["border"]
        cell.alignment = s["wrap"]
        ws.column_dimensions[column_letter(j)].width = width
    value_col = 1 + [k for k, *_ in _COLUMNS].index("value")
    evidence_col = 1 + [k for k, *_ in _COLUMNS].index("evidence")
    validations: dict[tuple[float, float], DataValidation] = {}
    question_cols = ("question_en", "question_id") if lang == "en" else ("question_id", "question_en")
    scale_cols = ("scale_en", "scale_id") if lang == "en" else ("scale_id", "scale_en")
    for i, code in enumerate(codes):
        row = _HEADER_ROW + 1 + i
        lo, hi = framework.scale(code)
        sub = sub_of[code] if t.at[code, "depth"] >= 3 else None
        aspect = t.at[code, "aspect"]
        question = _first_text(t, code, question_cols) or framework.name(code, lang)
        scale = _first_text(t, code, scale_cols)
        if scale:
            scale = re.sub(r";\s*(?=\d+(?:[.,]\d+)?\s*=)", "\n", scale)
        elif not (np.isnan(lo) or np.isnan(hi)):
            scale = text["scale_fallback"].format(lo=_num(lo, lang), hi=_num(hi, lang))
        values = {
            "code": code,
            "sub_dimension": framework.name(sub, lang) if isinstance(sub, str) else None,
            "aspect": aspect if isinstance(aspect, str) else None,
            "indicator": framework.name(code, lang),
            "question": question,
            "scale": scale,
        }
        for j, (key, *_rest) in enumerate(_COLUMNS, start=1):
            cell = ws.cell(row, j, values.get(key))
            cell.border = s["border"]
            cell.alignment = s["wrap"]
        for j in (value_col, evidence_col):
            cell = ws.cell(row, j)
            cell.protection = s["unlocked"]
            cell.fill = s["input_fill"]
        ws.cell(row, value_col).alignment = s["center"]
        if not (np.isnan(lo) or np.isnan(hi)):
            dv = validations.get((lo, hi))
            if dv is None:
                lo_text, hi_text = _num(lo, lang), _num(hi, lang)
                dv = DataValidation(
                    type="decimal", operator="between", formula1=_num(lo), formula2=_num(hi),
                    allow_blank=True, showErrorMessage=True, showInputMessage=True,
                    errorStyle="stop", errorTitle=text["dv_title"],
                    error=text["dv_error"].format(lo=lo_text, hi=hi_text),
                    promptTitle=text["dv_prompt_title"], prompt=text["dv_prompt"].format(lo=lo_text, hi=hi_text),
                )
                validations[(lo, hi)] = dv
                ws.add_data_validation(dv)
            dv.add(ws.cell(row, value_col))
    ws.freeze_panes = ws.cell(_HEADER_ROW + 1, 2)
    _protect(ws)
    _print_setup(ws, f"{_HEADER_ROW}:{_HEADER_ROW}")


def _first_text(table: pd.DataFrame, code: str, columns: tuple[str, ...]) -> str | None:
    for column in columns:
        if column in table.columns:
            value = table.at[code, column]
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _num(x: float, lang: str = "en") -> str:
    """A bound as written: whole numbers without '.0'; a decimal comma in Indonesian text."""
    text = str(int(x)) if float(x).is_integer() else f"{x:g}"
    return text.replace(".", ",") if lang == "id" else text


# --- reading ---------------------------------------------------------------------------------


def is_template(workbook) -> bool:
    """True when a calamine workbook is one of our forms (it holds the hidden ``_smartcity`` sheet)."""
    return META_SHEET in workbook.sheet_names


@dataclass
class FormRecords:
    """The raw answer records of one filled form as columns (one entry per indicator row), and
    the form's header fields: :func:`read_template`'s frame before it is made, so that a
    folder of forms becomes one frame (:func:`.loading.load_answers`)."""

    columns: dict[str, list]
    header: dict
    answered: int = 0  # values that are not blank

    def __len__(self) -> int:
        return len(self.columns["indicator"])

    def frame(self, file: str) -> pd.DataFrame:
        columns, header = self.columns, self.header
        n = len(self)
        records = pd.DataFrame({
            "cycle": pd.Series([header["cycle"]] * n, dtype=object),
            "region": pd.Series([header["region"]] * n, dtype=object),
            "respondent": pd.Series([header["respondent"]] * n, dtype=object),
            "indicator": pd.Series(columns["indicator"], dtype=object),
            "value": pd.Series(columns["value"], dtype=object),
            "evidence": pd.Series(columns["evidence"], dtype=object),
        })
        if header["province"]:
            records["province"] = header["province"]
        records["source_file"] = file
        records["source_sheet"] = pd.Series(columns["source_sheet"], dtype=object)
        records["source_row"] = np.asarray(columns["source_row"], dtype=np.int64)
        records["source_col"] = pd.Series(columns["source_col"], dtype=object)
        records["_indicator_col"] = pd.Series(columns["_indicator_col"], dtype=object)
        records["_evidence_col"] = pd.Series(columns["_evidence_col"], dtype=object)
        records["_region_col"] = ""
        records["_cycle_col"] = ""
        records["_region_done"] = header["region_done"]
        for key in ("region", "province"):
            where: Location = header[f"{key}_at"]
            records[f"_{key}_sheet"] = where.sheet or ""
            records[f"_{key}_cell"] = where.cell or ""
        return records


def read_template(workbook, path: Path, framework: Framework, problems: ProblemCollector,
                  *, expected_cycle: int | None = None, resolver=None) -> pd.DataFrame | None:
    """Raw answer records of a filled form, one per indicator row, located to the cell.

    Values and evidence are returned as typed (parsing and range checks happen in
    :mod:`.loading`); region and cycle are checked here because they live in the header fields,
    not on the rows. Returns None, with problem SC306, for a form with no value at all.
    Hidden sheets (other than ``_smartcity``) and chart sheets are not read (note SC111). In an
    xlsx, a Nilai cell that reads blank because its formula was never computed is SC108, one
    that shows an Excel error SC110. ``expected_cycle`` is the year the file's name or folder
    names: a form for another cycle is SC311. A visible Daerah or Siklus field that says another
    region or cycle than the form's hidden record is SC319; a dimension sheet deleted is SC321,
    indicator rows deleted or recoded SC323. ``resolver`` (:class:`.loading.CodeResolver`)
    reads old codes through the instrument's declared changes.
    """
    records = template_records(workbook, path, framework, problems, expected_cycle=expected_cycle,
                               resolver=resolver)
    return None if records is None else records.frame(display_name(path))


def template_records(workbook, path: Path, framework: Framework, problems: ProblemCollector,
                     *, expected_cycle: int | None = None, resolver=None,
                     marked_parts: frozenset[str] | None = None) -> FormRecords | None:
    """:func:`read_template` as :class:`FormRecords`. ``marked_parts``: the package's parts that
    hold a formula or an error cell (:func:`.readers.open_workbook_marked`), when known."""
    name = display_name(path)
    path = Path(path)
    meta, meta_rows = _read_meta(workbook, path)
    fields: dict[str, tuple[object, Location]] = {}
    columns: dict[str, list] = {k: [] for k in (
        "indicator", "value", "evidence", "source_sheet", "source_row", "source_col", "_indicator_col",
        "_evidence_col")}
    filled = False
    answered = 0
    blank_value_sheets: list[str] = []
    for sheet, visible, is_worksheet in sheet_states(workbook):
        if sheet == META_SHEET:
            continue
        if not (visible and is_worksheet):
            reason = Bilingual("lembar tersembunyi", "hidden sheet") if is_worksheet else Bilingual(
                "lembar grafik", "chart sheet")
            problems.note("SC111", Location(name, sheet), reason=reason)
            continue
        rows = read_sheet_rows(workbook, path, sheet).rows
        header = _find_table_header(rows)
        if header is None:
            for key, found in _find_fields(rows, name, sheet).items():
                fields.setdefault(key, found)
            continue
        header_row, cols = header
        code_j, value_j, evidence_j = cols["code"], cols["value"], cols.get("evidence")
        code_letter, value_letter = column_letter(code_j + 1), column_letter(value_j + 1)
        evidence_letter = column_letter(evidence_j + 1) if evidence_j is not None else ""
        has_blank = False
        for r in range(header_row + 1, len(rows)):
            row = rows[r]
            code = row[code_j] if code_j < len(row) else None
            value = row[value_j] if value_j < len(row) else None
            evidence = row[evidence_j] if evidence_j is not None and evidence_j < len(row) else None
            value = None if value == "" else value
            evidence = None if evidence == "" else evidence
            code_text, value_text = clean_text(code), clean_text(value)
            if code_text == "" and value_text == "":
                continue
            filled = filled or value_text != ""
            has_blank = has_blank or value_text == ""
            answered += value_text != ""
            columns["indicator"].append(code_text)
            columns["value"].append(value)
            columns["evidence"].append(evidence)
            columns["source_sheet"].append(sheet)
            columns["source_row"].append(r + 1)
            columns["source_col"].append(value_letter)
            columns["_indicator_col"].append(code_letter)
            columns["_evidence_col"].append(evidence_letter)
        if has_blank:
            blank_value_sheets.append(sheet)
    # Only sheets with blank Nilai cells can hide an uncomputed formula: checking just those
    # keeps a folder of forms fast.
    flagged = _flag_value_cells(path, blank_value_sheets, columns, problems, marked_parts) if (
        blank_value_sheets) else False
    if not filled and not flagged and not any(clean_text(e) for e in columns["evidence"]):
        problems.add("SC306", Location(name))
        return None
    _check_indicator_rows(framework, resolver, columns, name, problems)

    header = _header_values(fields, meta, meta_rows, name, problems, expected_cycle)
    return FormRecords(columns, header, answered)


def _check_indicator_rows(framework: Framework, resolver, columns: dict[str, list], file: str,
                          problems: ProblemCollector) -> None:
    """SC321 for a dimension whose sheet is gone, SC323 for a dimension missing some rows."""
    from .readers import normalise_code

    def resolve(code: str) -> str:
        if resolver is not None:
            return resolver.resolve(code)
        key = normalise_code(code)
        return framework.code_lookup.get(key, key)

    added = getattr(resolver, "added", frozenset())
    known = set(framework.indicators)
    sheet_of: dict[str, str] = {}
    unknown_on: dict[str, int] = {}  # codes typed over (SC302 at their cells) per sheet
    for code, sheet in zip(columns["indicator"], columns["source_sheet"], strict=True):
        if code:
            code = resolve(code)
            sheet_of.setdefault(code, sheet)
            if code not in known:
                unknown_on[sheet] = unknown_on.get(sheet, 0) + 1
    for dimension, codes in _indicator_groups(framework):
        wanted = [c for c in codes if c not in added]
        missing = [c for c in wanted if c not in sheet_of]
        sheets = {sheet_of[c] for c in wanted if c in sheet_of}
        if not missing or sum(unknown_on.get(s, 0) for s in sheets) >= len(missing):
            continue
        listed = ", ".join(missing)
        if len(missing) == len(wanted):
            problems.add("SC321", Location(file), sheet=dimension, count=len(missing), codes=listed)
        else:
            sheet = next(sheet_of[c] for c in wanted if c in sheet_of)
            problems.add("SC323", Location(file, sheet), count=len(missing), codes=listed)


def _flag_value_cells(path: Path, sheets: list[str], columns: dict[str, list],
                      problems: ProblemCollector, marked_parts: frozenset[str] | None = None) -> bool:
    """SC108 / SC110 at Nilai cells of ``sheets`` that read blank; True when any was found."""
    name = display_name(path)
    read = {(s, f"{c}{r}") for s, c, r in zip(
        columns["source_sheet"], columns["source_col"], columns["source_row"], strict=True)}
    found = False
    for sheet, flags in flagged_cells(path, sheets, marked_parts).items():
        for cell, formula in flags.formulas.items():
            if (sheet, cell) in read:
                problems.add("SC108", Location(name, sheet, cell), formula=formula)
                found = True
        for cell, error in flags.errors.items():
            if (sheet, cell) in read:
                problems.add("SC110", Location(name, sheet, cell), error=error)
                found = True
    return found


def _read_meta(workbook, path: Path) -> tuple[dict[str, object], dict[str, int]]:
    """The hidden sheet's ``key: value`` pairs, and the row of each key."""
    rows = read_sheet_rows(workbook, path, META_SHEET).rows
    values, where = {}, {}
    for r, row in enumerate(rows):
        if len(row) >= 2 and clean_text(row[0]):
            key = clean_text(row[0]).lower()
            values.setdefault(key, row[1])
            where.setdefault(key, r + 1)
    return values, where


def _find_table_header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """Row index and column positions of the indicator table's header, if this sheet has one."""
    for r, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = _COLUMN_LOOKUP.get(_label_key(cell)) if isinstance(cell, str) else None
            if key and key not in cols:
                cols[key] = j
        if "code" in cols and "value" in cols:
            return r, cols
    return None


def _find_fields(rows: list[list[object]], file: str, sheet: str) -> dict[str, tuple[object, Location]]:
    """Header fields found by their label: the value is the cell to the right of the label."""
    found: dict[str, tuple[object, Location]] = {}
    for r, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        for j, cell in enumerate(row[:-1]):
            key = _FIELD_LOOKUP.get(_label_key(cell)) if isinstance(cell, str) else None
            if key and key not in found:
                found[key] = (row[j + 1], Location(file, sheet, f"{column_letter(j + 2)}{r + 1}"))
    return found


def _year(value: object) -> int | None:
    text = clean_text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2200 else None


def _same_region(a: object, b: object) -> bool:
    if clean_text(a) == clean_text(b):  # the same text resolves the same way
        return True
    first, second = resolve_region(a), resolve_region(b)
    if first.unit is not None and second.unit is not None:
        return first.unit == second.unit
    return canonical_region(a).lower() == canonical_region(b).lower()


def _header_values(fields: dict, meta: dict, meta_rows: dict[str, int], file: str, problems: ProblemCollector,
                   expected_cycle: int | None = None) -> dict:
    """Region, cycle, respondent and province: the visible fields first, the hidden sheet second.

    A visible region or cycle that names another unit or year than the hidden record is SC319;
    the hidden record is then used, so that the form's answers are not also reported against
    the wrong region."""

    def hidden(key: str) -> tuple[object, Location]:
        row = meta_rows.get(key)
        return meta.get(key), Location(file, META_SHEET, f"B{row}" if row else None)

    def pick(key: str) -> tuple[object, Location]:
        return fields[key] if key in fields else hidden(key)

    region_raw, region_at = pick("region")
    hidden_region = clean_text(meta.get("region"))
    if "region" in fields and clean_text(region_raw) and hidden_region and not _same_region(region_raw, hidden_region):
        problems.add("SC319", region_at, field=Bilingual("Daerah", "Region"), visible=clean_text(region_raw),
                     hidden=hidden_region)
        region_raw = hidden_region
    region = clean_text(region_raw)
    region_done = False
    if not region:
        problems.add("SC307", region_at)
        region_done = True  # keeps the file's other checks running; the problem is filed
    cycle_raw, cycle_at = pick("cycle")
    cycle = _year(cycle_raw)
    hidden_cycle = _year(meta.get("cycle"))
    if "cycle" in fields and cycle is not None and hidden_cycle is not None and cycle != hidden_cycle:
        problems.add("SC319", cycle_at, field=Bilingual("Siklus", "Cycle"), visible=str(cycle),
                     hidden=str(hidden_cycle))
        cycle = hidden_cycle
    elif cycle is None:
        problems.add("SC308", cycle_at, value=clean_text(cycle_raw) or "(kosong)")
    elif expected_cycle is not None and cycle != expected_cycle:
        problems.add("SC311", cycle_at, region=region, cycles=str(cycle), expected=expected_cycle)
    province_raw, province_at = pick("province")
    return {
        "region": region, "region_at": region_at, "region_done": region_done, "cycle": cycle,
        "respondent": clean_text(pick("respondent")[0]) or None,
        "province": clean_text(province_raw) or None, "province_at": province_at,
    }
