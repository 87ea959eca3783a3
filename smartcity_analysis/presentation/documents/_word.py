"""The Word machinery of the documents: a template, its styles, and the structure people rely on.

:class:`WordWriter` wraps a python-docx ``Document`` opened from a template and writes only
through named styles, so an office restyles everything by changing its template: headings in
``Heading 1-3`` (the navigation pane and the table of contents), tables in ``Tabel Data`` with a
repeating header row, cell text in ``Teks Tabel``, captions in ``Caption`` numbered by ``SEQ``
fields, workshop prompts in ``Catatan Lokakarya``, a ``TOC`` field, page numbers as a ``PAGE``
field in the footer. Styles a template lacks (a template saved by Word holds only the styles it
uses) are added with :data:`STYLE_SPECS`, the package's defaults, which also build the shipped
template (``scripts/make_docx_template.py``).

The cover is the template's body. Its paragraphs may hold the fields of :data:`COVER_FIELDS`
(``{title}``, ``{region}``, ...), filled in place; a template whose body has content but no field
keeps it and gets the title block below it; an empty body gets the title block alone.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ...errors import FileError, Location
from ...files import office_template_as_file

#: Fields a template's cover (body) and footer may hold; unknown ``{words}`` are left as typed.
COVER_FIELDS = ("programme", "title", "region", "details", "cycle", "date", "note", "footer")

TEMPLATE_NAME = "dokumen.docx"
TABLE_STYLE = "Tabel Data"
TABLE_TEXT = "Teks Tabel"
PROMPT_STYLE = "Catatan Lokakarya"
ACCENT = "1F4E79"  # the workbook's header colour
FONT = "Arial"

_TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def default_template_path() -> Path:
    """The shipped template (``presentation/templates/dokumen.docx``)."""
    return Path(str(resources.files("smartcity_analysis.presentation") / "templates" / TEMPLATE_NAME))


def open_template(template: str | Path | None = None):
    """A python-docx ``Document`` from a .docx or .dotx template (default: the shipped one)."""
    import docx

    path = Path(template) if template is not None else default_template_path()
    if not path.is_file():
        raise FileError.single("SC101", Location(str(path)))
    try:
        data = path.read_bytes()
        if path.suffix.lower() in (".dotx", ".dotm"):
            data = _template_as_document(data)
        return docx.Document(io.BytesIO(data))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise FileError.single("SC102", Location(str(path)), kind="Word (.docx, .dotx)",
                               detail=str(exc) or type(exc).__name__) from None


def _template_as_document(data: bytes) -> bytes:
    """A .dotx is a .docx with another content type for its main part: relabel it."""
    macro = _TEMPLATE_TYPE.replace("template.main", "template.macroEnabled.main")
    return office_template_as_file(data, {_TEMPLATE_TYPE.encode(): _DOCUMENT_TYPE.encode(),
                                          macro.encode(): _DOCUMENT_TYPE.encode()})


def docx_bytes(doc, when: tuple[int, int, int] = (2024, 1, 1)) -> bytes:
    """The saved document with every zip entry dated ``when`` (year, month, day): the same
    document always gives the same bytes (python-docx stamps entries with the current time)."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(*when, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style the documents use, as added to a template that lacks it."""

    name: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    before: float = 0
    after: float = 6
    outline: int | None = None  # outline level (headings): what the navigation pane reads
    builtin: bool = True
    keep_next: bool = False
    indent: float = 0.0
    line: float | None = None


STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec("Title", 28, bold=True, colour=ACCENT, after=12),
    StyleSpec("Subtitle", 16, colour="404040", after=8),
    StyleSpec("Heading 1", 16, bold=True, colour=ACCENT, before=18, after=8, outline=0, keep_next=True),
    StyleSpec("Heading 2", 13, bold=True, colour=ACCENT, before=12, after=6, outline=1, keep_next=True),
    StyleSpec("Heading 3", 11, bold=True, colour="404040", before=10, after=4, outline=2, keep_next=True),
    StyleSpec("Caption", 9, italic=True, colour="404040", before=4, after=10),
    StyleSpec("TOC Heading", 16, bold=True, colour=ACCENT, before=0, after=12),
    StyleSpec("toc 1", 11, bold=True, after=4),
    StyleSpec("toc 2", 10, after=2, indent=0.6),
    StyleSpec("toc 3", 10, after=2, indent=1.2),
    StyleSpec(TABLE_TEXT, 9, after=0, builtin=False, line=1.0),
    StyleSpec(PROMPT_STYLE, 9, italic=True, colour="7F4F00", after=2, builtin=False),
)


def ensure_styles(doc) -> None:
    """Add every style the documents use that ``doc`` lacks (the template's own ones stay)."""
    styles = doc.styles
    names = {s.name for s in styles}
    for spec in STYLE_SPECS:
        if spec.name not in names:
            add_paragraph_style(doc, spec)
    if TABLE_STYLE not in names:
        add_table_style(doc)


def add_paragraph_style(doc, spec: StyleSpec, *, replace: bool = False, font: str | None = None):
    """The style of ``spec`` (restyled in place when ``replace`` and it exists).

    ``font``: the typeface (the shipped template's); None keeps the template's own, inherited
    from its ``Normal`` style, so a style added to an office template matches its text.
    """
    styles = doc.styles
    existing = {s.name: s for s in styles}
    style = existing.get(spec.name) if replace else None
    if style is None:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.builtin)
        style.base_style = existing.get("Normal")
        style.quick_style = True
    text = style.font
    text.size, text.bold, text.italic = Pt(spec.size), spec.bold, spec.italic
    if font:
        text.name = font
    if spec.colour:
        text.color.rgb = RGBColor.from_string(spec.colour)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    fmt.keep_with_next = spec.keep_next or None
    if spec.indent:
        fmt.left_indent = Cm(spec.indent)
    if spec.line:
        fmt.line_spacing = spec.line
    if spec.outline is not None:
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(old)
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(spec.outline))
        ppr.append(level)
    if spec.name.startswith("Heading"):
        style.next_paragraph_style = existing.get("Normal")
    return style


_TABLE_STYLE_XML = f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="TabelData">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band1Horz">
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def add_table_style(doc) -> None:
    """``Tabel Data``: thin grey grid, header row white on the accent colour, banded rows."""
    doc.styles.element.append(parse_xml(_TABLE_STYLE_XML))


def set_document_language(doc, lang: str) -> None:
    """The proofing language of the text (screen readers and spelling): id-ID or en-GB."""
    tag = "en-GB" if lang == "en" else "id-ID"
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), tag)


# --- small XML helpers ----------------------------------------------------------------------


def _element(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def _run(*children):
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _text_run(text: str):
    t = _element("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    return _run(t)


def _field_runs(instruction: str, cached: str, *, dirty: bool = False) -> list:
    """The runs of a complex field: begin, instruction, separate, cached result, end."""
    begin = _element("w:fldChar", **{"w:fldCharType": "begin"})
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = _element("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    runs = [_run(begin), _run(instr), _run(_element("w:fldChar", **{"w:fldCharType": "separate"}))]
    if cached:
        runs.append(_text_run(cached))
    runs.append(_run(_element("w:fldChar", **{"w:fldCharType": "end"})))
    return runs


def has_field(element, name: str) -> bool:
    """Whether ``element`` holds a field whose instruction starts with ``name`` (PAGE, TOC)."""
    for instr in element.iter(qn("w:instrText")):
        if (instr.text or "").strip().upper().split(" ")[0] == name:
            return True
    return any(f.get(qn("w:instr"), "").strip().upper().startswith(name)
               for f in element.iter(qn("w:fldSimple")))


# --- placeholders ---------------------------------------------------------------------------

_FIELD = re.compile(r"\{([a-z_]+)\}")


def fill_fields(paragraph, values: dict[str, str]) -> bool:
    """Replace ``{field}`` in a paragraph across its runs, keeping each run's formatting.

    A field typed in one go may still be split over several runs (Word marks spelling and
    edits run by run): its text goes into the run where it starts. Returns whether anything
    was replaced.
    """
    runs = [r for r in paragraph._p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    texts = [r.find(qn("w:t")) for r in runs]
    whole = "".join(t.text or "" for t in texts)
    matches = [m for m in _FIELD.finditer(whole) if m.group(1) in values]
    if not matches:
        return False
    starts, position = [], 0
    for t in texts:
        starts.append(position)
        position += len(t.text or "")
    for match in reversed(matches):
        lo, hi = match.span()
        first = max(i for i, s in enumerate(starts) if s <= lo)
        for i in range(first, len(texts)):
            text = texts[i].text or ""
            s = starts[i]
            if s >= hi:
                break
            a, b = max(lo - s, 0), min(hi - s, len(text))
            replacement = values[match.group(1)] if i == first else ""
            texts[i].text = text[:a] + replacement + text[b:]
            texts[i].set(qn("xml:space"), "preserve")
    return True


# --- the writer -----------------------------------------------------------------------------


class WordWriter:
    """Writes one document into a template through its styles (see the module docstring).

    Parameters
    ----------
    template
        A .docx/.dotx path, or None for the shipped template.
    lang
        ``"id"`` or ``"en"``: the words of captions ("Gambar", "Figure") and the proofing language.
    words
        ``figure``, ``table``, ``toc`` (the table of contents' title) and ``toc_update`` (its hint
        when a document has no headings), already in ``lang``.
    """

    def __init__(self, template: str | Path | None, lang: str, words: dict[str, str]):
        self.doc = open_template(template)
        self.lang = lang
        self.words = words
        ensure_styles(self.doc)
        set_document_language(self.doc, lang)
        body = self.doc.element.body
        self._cover = [el for el in body if el.tag != qn("w:sectPr")]
        if all(el.tag == qn("w:p") and not _has_content(el) for el in self._cover):
            for el in self._cover:
                body.remove(el)
            self._cover = []
        self._headings: list[tuple[int, str, str]] = []
        self._toc_anchor = None
        self._counters = {"figure": 0, "table": 0}
        self._bookmark = 0
        self._after_table = False
        self._style_ids: dict[str, str] = {}
        self.section_width_cm = self._text_width_cm(self.doc.sections[-1])

    # -- cover, footer ----------------------------------------------------------------------
    def cover(self, values: dict[str, str], title_block: Sequence[tuple], *, page: bool = True) -> None:
        """Fill the template's cover with ``values``, or write ``title_block`` ((style, text) pairs,
        or (style, text, bold)).

        With ``page=False`` (a short document) the template's cover is left out and the title
        block opens the first page.
        """
        body = self.doc.element.body
        filled = False
        if page:
            for el in list(self._cover):
                if el.tag != qn("w:p"):
                    continue
                paragraph = Paragraph(el, self.doc._body)
                if fill_fields(paragraph, values):
                    filled = True
                    if not paragraph.text.strip() and not _has_drawing(el):
                        body.remove(el)  # a field with nothing to say (no note): no empty line
        else:
            for el in self._cover:
                body.remove(el)
            self._cover = []
        if not filled:
            for style, text, *bold in title_block:
                if text:
                    paragraph = self._add_paragraph(text, style)
                    paragraph.runs[0].bold = bool(bold and bold[0]) or None
        if page:
            self.page_break()
        self._fill_section_fields(values)

    def _fill_section_fields(self, values: dict[str, str]) -> None:
        for section in self.doc.sections:
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
                if part.is_linked_to_previous:
                    continue
                for el in list(part._element.iter(qn("w:p"))):
                    fill_fields(Paragraph(el, part), values)

    def footer(self, text: str, *, cover_page: bool) -> None:
        """Page numbers (a PAGE field) and ``text`` in the footer unless the template has a PAGE field.

        ``cover_page``: the first page is a cover, without a footer.
        """
        section = self.doc.sections[0]
        section.different_first_page_header_footer = cover_page
        footer = section.footer
        if has_field(footer._element, "PAGE"):
            return
        paragraph = footer.add_paragraph(style=self.doc.styles["Footer"]) if _has_style(self.doc, "Footer") \
            else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            paragraph._p.append(_text_run(f"{text} · "))
        for run in _field_runs("PAGE", "1"):
            paragraph._p.append(run)
        # A template's own empty footer paragraph would print as a blank line above it.
        for el in list(footer._element.iter(qn("w:p"))):
            if el is not paragraph._p and not _has_content(el):
                el.getparent().remove(el)

    # -- text --------------------------------------------------------------------------------
    def style_id(self, name: str) -> str:
        """The id of the style named ``name`` (python-docx looks styles up by scanning them all,
        which costs more than writing a whole table: it is done once per name)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def _add_paragraph(self, text: str = "", style: str | None = None):
        """Every paragraph goes through here: one right after a table gets room above it."""
        paragraph = self.doc.add_paragraph(text)
        if style:
            paragraph._p.style = self.style_id(style)
        if self._after_table:
            fmt = paragraph.paragraph_format
            own = fmt.space_before
            if own is None:
                own = self.doc.styles[style or "Normal"].paragraph_format.space_before
            fmt.space_before = max(own or Pt(0), Pt(10))
            self._after_table = False
        return paragraph

    def heading(self, text: str, level: int = 1, *, toc: bool = True):
        """A heading in ``Heading <level>``, bookmarked for the table of contents."""
        paragraph = self._add_paragraph(text, f"Heading {level}")
        if toc and level <= 2:
            self._bookmark += 1
            name = f"_Toc{self._bookmark:08d}"
            paragraph._p.insert(1 if paragraph._p.pPr is not None else 0,
                                _element("w:bookmarkStart", **{"w:id": str(self._bookmark), "w:name": name}))
            paragraph._p.append(_element("w:bookmarkEnd", **{"w:id": str(self._bookmark)}))
            self._headings.append((level, text, name))
        return paragraph

    def paragraph(self, text: str = "", style: str | None = None, *, bold_lead: str | None = None):
        """A paragraph; ``bold_lead`` is written in bold before ``text`` (a label: "Catatan:")."""
        paragraph = self._add_paragraph(style=style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
            paragraph.add_run(" ")
        paragraph.add_run(text)
        return paragraph

    def prompt(self, text: str):
        """A workshop prompt, marked as such (``Catatan Lokakarya``)."""
        return self.paragraph(text, PROMPT_STYLE)

    def page_break(self) -> None:
        self._add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def toc(self) -> None:
        """The table of contents: a TOC field, filled with the headings when the document is done."""
        self._add_paragraph(self.words["toc"], "TOC Heading")
        self._toc_anchor = self._add_paragraph(style="toc 1")
        self.page_break()

    # -- tables and figures ------------------------------------------------------------------
    def caption(self, kind: str, text: str):
        """``Gambar 3. text`` / ``Tabel 2. text`` in ``Caption``, the number a SEQ field."""
        self._counters[kind] += 1
        label = self.words[kind]
        paragraph = self._add_paragraph(style="Caption")
        paragraph._p.append(_text_run(f"{label} "))
        for run in _field_runs(f"SEQ {label} \\* ARABIC", str(self._counters[kind])):
            paragraph._p.append(run)
        paragraph._p.append(_text_run(f". {text}"))
        return paragraph

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]], *,
              widths: Sequence[float] | None = None, align: Sequence[str] | None = None,
              caption: str | None = None, bold_first_column: bool = False):
        """A Word table in ``Tabel Data``: a header row that repeats on every page, rows kept whole,
        a short table kept on one page.

        ``rows`` hold text, or lists of text for several paragraphs in one cell (a SWOT cell; a
        ``(text, style)`` pair is written in that style); ``align`` is ``"l"``, ``"r"`` or ``"c"``
        per column (numbers right). Column widths (cm) follow the content unless ``widths`` are
        given (scaled to the text width when they add up to more).
        """
        if caption:
            previous = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None
            if previous is not None and previous.tag == qn("w:p") and not _has_drawing(previous):
                Paragraph(previous, self.doc._body).paragraph_format.keep_with_next = True
            paragraph = self.caption("table", caption)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = Pt(3)
        rows = [list(r) for r in rows]
        n_cols = len(headers)
        table = self.doc.add_table(rows=1 + len(rows), cols=n_cols)
        table.style = self.doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_look(table)
        room = self.section_width_cm
        widths = _fit_widths(widths, room) if widths else auto_widths(headers, rows, room)
        _fix_layout(table, widths)
        align = list(align or ["l"] * n_cols)
        text_style = self.style_id(TABLE_TEXT)
        keep = _table_height_cm([list(headers), *rows], widths) <= KEEP_TOGETHER_SHARE * self._text_height_cm()
        for i, (row, values) in enumerate(zip(table.rows, [list(headers), *rows], strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(_element("w:cantSplit"))
            if i == 0:
                tr_pr.append(_element("w:tblHeader"))
            for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Cm(widths[j])
                lines = value if isinstance(value, list) else [value]
                for k, line in enumerate(lines):
                    paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    style = text_style
                    if isinstance(line, tuple):
                        line, style = line[0], self.style_id(line[1])
                    paragraph._p.style = style
                    run = paragraph.add_run("" if line is None else str(line))
                    if bold_first_column and j == 0 and i > 0:
                        run.bold = True
                    paragraph.alignment = _ALIGN.get(align[j])
                    fmt = paragraph.paragraph_format
                    if k < len(lines) - 1:
                        fmt.space_after = Pt(3)  # items of a list in one cell
                    if keep and i < len(rows):
                        fmt.keep_with_next = True
        self._after_table = True
        return table

    def subheader_row(self, table, index: int) -> None:
        """Format body row ``index`` like the header row (the O/T labels of a SWOT table)."""
        for cell in table.rows[index].cells:
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_pr.append(_element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": ACCENT}))
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
                    run.font.color.rgb = RGBColor.from_string("FFFFFF")

    def figure(self, png: bytes, caption: str, alt_text: str, *, width_cm: float | None = None):
        """A picture at print resolution with its caption below and ``alt_text`` as its description."""
        width = min(width_cm or self.section_width_cm, self.section_width_cm)
        paragraph = self._add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt_text)
        doc_pr.set("title", caption)
        self.caption("figure", caption)
        return shape

    # -- sections ----------------------------------------------------------------------------
    def landscape(self) -> None:
        """Continue on landscape pages (a wide appendix); the footer carries on."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        section.different_first_page_header_footer = False
        self.section_width_cm = self._text_width_cm(section)

    def _text_height_cm(self) -> float:
        section = self.doc.sections[-1]
        return (section.page_height - section.top_margin - section.bottom_margin) / 360000

    @staticmethod
    def _text_width_cm(section) -> float:
        return round((section.page_width - section.left_margin - section.right_margin) / 360000, 2)

    # -- done --------------------------------------------------------------------------------
    def finish(self, properties: dict[str, str]):
        """Fill the table of contents, set the document properties; return the ``Document``."""
        if self._toc_anchor is not None:
            self._write_toc()
        core = self.doc.core_properties
        for key, value in properties.items():
            setattr(core, key, value)
        return self.doc

    def _write_toc(self) -> None:
        """A TOC field over the headings; its cached result lists them, linked, for readers that
        do not update fields. Word refreshes it with page numbers when the document opens."""
        anchor = self._toc_anchor
        entries = self._headings or [(1, self.words["toc_update"], "")]
        paragraphs = []
        for level, text, bookmark in entries:
            paragraph = copy.deepcopy(anchor._p) if paragraphs else anchor._p
            for child in list(paragraph):
                if child.tag != qn("w:pPr"):
                    paragraph.remove(child)
            style = self.style_id(f"toc {min(level, 3)}")
            paragraphs.append((paragraph, style, text, bookmark))
        previous = anchor._p
        for k, (paragraph, style, text, bookmark) in enumerate(paragraphs):
            if k:
                previous.addnext(paragraph)
                previous = paragraph
            paragraph.style = style
            if k == 0:
                for run in _field_runs('TOC \\o "1-2" \\h \\z \\u', "", dirty=True)[:3]:
                    paragraph.append(run)
            if bookmark:
                link = _element("w:hyperlink", **{"w:anchor": bookmark, "w:history": "1"})
                link.append(_text_run(text))
                paragraph.append(link)
            else:
                paragraph.append(_text_run(text))
        paragraphs[-1][0].append(_run(_element("w:fldChar", **{"w:fldCharType": "end"})))
        _set_update_fields(self.doc.settings.element)


_ALIGN = {"r": WD_ALIGN_PARAGRAPH.RIGHT, "c": WD_ALIGN_PARAGRAPH.CENTER}

#: The settings that come after ``w:updateFields`` in the schema's order (Word checks it).
_AFTER_UPDATE_FIELDS = {qn(f"w:{name}") for name in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}


def _set_update_fields(settings) -> None:
    """``<w:updateFields w:val="true"/>``: Word updates the fields (the TOC's page numbers) on opening."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = _element("w:updateFields", **{"w:val": "true"})
    w_namespace = qn("w:x")[:-1]
    later = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS
                  or not str(child.tag).startswith(w_namespace)), None)
    if later is None:
        settings.append(element)
    else:
        later.addprevious(element)


def _has_content(p) -> bool:
    return bool("".join(t.text or "" for t in p.iter(qn("w:t"))).strip()) or _has_drawing(p) \
        or p.find(f".//{qn('w:sectPr')}") is not None


def _has_drawing(el) -> bool:
    return el.find(f".//{qn('w:drawing')}") is not None or el.find(f".//{qn('w:pict')}") is not None


def _has_style(doc, name: str) -> bool:
    return any(s.name == name for s in doc.styles)


def _table_look(table) -> None:
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    for key, value in (("w:val", "04A0"), ("w:firstRow", "1"),
                       ("w:lastRow", "0"), ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                       ("w:noHBand", "0"), ("w:noVBand", "1")):
        look.set(qn(key), value)


#: A table whose estimated height is at most this share of the page's text height is kept on
#: one page (a taller one would be pushed to a page of its own and break there anyway).
KEEP_TOGETHER_SHARE = 0.6
_LINE_CM = 0.40
#: Width (cm) of a character of 9 pt Arial, by kind, and a cell's margins: enough to guess
#: column widths that never break a word (a long link is allowed to break, at LONGEST_WORD).
_CHAR_CM = {"upper": 0.215, "digit": 0.18, "lower": 0.155, "other": 0.105}
_CELL_PAD_CM = 0.45
_LONGEST_WORD_CM = 3.2
_UNBROKEN_CHARS = 14
_TEXT_MIN_CM = 3.5
_TEXT_COMFORT_CM = 6.0


def _text_cm(text: str, bold: bool = False) -> float:
    width = sum(_CHAR_CM["upper" if c.isupper() else "digit" if c.isdigit() else "lower" if c.isalpha() else "other"]
                for c in text)
    return width * (1.08 if bold else 1.0)


def _cell_texts(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return ["" if v is None else str(v[0] if isinstance(v, tuple) else v) for v in items]


def auto_widths(headers: Sequence[str], rows: Sequence[Sequence[object]], room: float) -> list[float]:
    """Column widths (cm) that fill ``room``, grown in stages while there is room.

    Each column has four widths, each at least the one before: ``hard`` (its longest word, header
    words in bold: below this words break), ``soft`` (short cells such as ``43,8 → 62,5`` on one
    line, text columns at least 3.5 cm), ``comfort`` (text columns up to 6 cm) and ``natural``
    (every cell on one line). The widths are those of the largest stage that fits, grown towards
    the next stage in proportion; if even ``hard`` does not fit, it is scaled down.
    """
    stages = [[], [], [], []]
    for j, header in enumerate(headers):
        cells = [t for row in rows for t in _cell_texts(row[j])]
        words = [w for t in cells for w in t.split()]
        hard = max([_text_cm(w, True) for w in str(header).split()] + [_text_cm(w) for w in words] + [0.3])
        hard = min(hard, _LONGEST_WORD_CM) + _CELL_PAD_CM
        natural = max([_text_cm(t) for t in cells] + [_text_cm(str(header), True) * 0.55]) + _CELL_PAD_CM
        short = max([_text_cm(t) for t in cells if len(t) <= _UNBROKEN_CHARS] + [0.0]) + _CELL_PAD_CM
        text = natural > _TEXT_MIN_CM  # a column of sentences, not of values
        soft = max(hard, short, _TEXT_MIN_CM if text else 0.0)
        comfort = max(soft, min(natural, _TEXT_COMFORT_CM)) if text else soft
        for stage, width in zip(stages, (hard, soft, comfort, max(natural, comfort)), strict=True):
            stage.append(width)
    totals = [sum(s) for s in stages]
    if totals[0] >= room:
        return [w * room / totals[0] for w in stages[0]]
    if totals[-1] <= room:
        return [w * room / totals[-1] for w in stages[-1]]
    k = max(i for i, total in enumerate(totals) if total <= room)
    share = (room - totals[k]) / (totals[k + 1] - totals[k])
    return [a + (b - a) * share for a, b in zip(stages[k], stages[k + 1], strict=True)]


def _table_height_cm(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> float:
    """A guess of a table's height: each row as tall as its cell with the most wrapped lines."""
    import math

    total = 0.0
    for row in rows:
        lines = max(sum(max(1, math.ceil(_text_cm(t) / max(w - _CELL_PAD_CM, 0.5))) for t in _cell_texts(value))
                    for value, w in zip(row, widths, strict=True))
        total += lines * _LINE_CM + 0.15
    return total


def _fit_widths(widths: Sequence[float], room: float) -> list[float]:
    total = float(sum(widths))
    return [w * room / total for w in widths] if total > room else [float(w) for w in widths]


def _fix_layout(table, widths: Sequence[float]) -> None:
    """Fixed column widths that Word (tcW) and LibreOffice (tblGrid) both honour."""
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in its place
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths) * 567)))
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
