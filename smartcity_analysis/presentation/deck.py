"""Bimtek decks: one PowerPoint per region, ready to present and to restyle.

:func:`build_deck` makes a deck with python-pptx on a template's slide master and layouts (the
package's ``templates/deck.pptx``, or an office's own with ``template=``): a title slide (region,
cycle, date), one chart per slide, a closing slide of the top quick wins. Every slide is built on
a layout with a real title placeholder, so PowerPoint's outline, navigation pane and accessibility
checker see titled slides, and changing the master restyles the deck. On a chart slide the
finding written from the numbers ("Smart Branding terendah: 42 dari 100, 18 poin di bawah median
kohort") sits in the layout's body placeholder, the chart in the layout's content area, the
source line in its footer; speaker notes carry the figures; every picture, chart and table has
alt text. Charts PowerPoint can draw natively (bar, radar) are native, editable charts in the
dimension colours; the others are the package's matplotlib charts as pictures, drawn as slide
bodies (:func:`~.charts.slide_body`) at the size of the layout's content area.

Layouts are chosen by their placeholders, not their names (:func:`pick_layouts`): a title slide
layout (title and subtitle), a chart layout (title, a text placeholder above a wide content
placeholder; or one wide content placeholder, split into the finding and the chart; or title
only) and a text layout (title and one body). Any reasonable office template works; its master
(logo, colours, fonts) is kept and the slides it holds are removed.

The words come from :mod:`.narrative` (every sentence, from the ``i18n`` templates); this module
only lays them out.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import Bilingual, FileError, Location, RunError
from ..files import office_template_as_file
from ..i18n import sentence, term
from .context import uses_context
from .narrative import (
    COHORT_SLIDES,
    Finding,
    cohort_size,
    date_text,
    dimension_label,
    findings,
    horizon_label,
)
from .narrative import signed as signed_number

#: The shipped template's slide size (16:9, PowerPoint's widescreen) and boxes, in inches
#: (left, top, width, height); ``scripts/make_pptx_template.py`` builds the template from them.
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
TITLE_BOX = (0.5, 0.3, 12.3, 0.65)
FINDING_BOX = (0.5, 0.95, 12.3, 0.65)
#: Where a chart goes on a content slide of the shipped template. Its size is
#: ``charts.SLIDE_BODY_SIZE`` (not imported here: this module loads without matplotlib).
CHART_BOX = (0.5, 1.6, 12.3, 5.35)
TEMPLATE_NAME = "deck.pptx"

HIGHLIGHT = "0072B2"
OTHERS = "BFBFBF"
GRIDLINES = "D9D9D9"
WARNING = "C00000"
#: BCP 47 tags of the deck's text (spell check and screen readers read it in this language).
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-US"}
#: Locale of the native charts' number formats (``[$-421]0.0``): decimal comma in Indonesian
#: where the viewer honours it (LibreOffice does; PowerPoint follows the computer's settings).
NUMBER_LOCALES = {"id": "[$-421]", "en": "[$-409]"}

#: Slide order: (finding key, chart_set key, native chart kind or None for a picture)
SLIDES = (
    ("ranking", "01_ranking", "ranking"),
    ("heatmap", "02_heatmap", None),
    ("radar_grid", "03_radar_grid", None),
    ("rank_changes", "04_rank_changes", None),
    ("radar", "05_radar", "radar"),
    ("readiness", "06_readiness", None),
    ("gap_dimension", "07_gap_dimension", "gap_bars"),
    ("gap_sub_dimension", "08_gap_sub_dimension", None),
    ("pareto", "09_pareto", "pareto"),
    ("priority", "10_priority", None),
    ("trend", "11_trend", None),
)
_NEED_PREVIOUS = ("rank_changes", "trend")
_NEED_GAPS = ("gap_dimension", "gap_sub_dimension", "pareto", "priority")


# --- the template and its layouts ----------------------------------------------------------------


def default_template_path() -> Path:
    """The shipped template (``presentation/templates/deck.pptx``)."""
    return Path(str(resources.files("smartcity_analysis.presentation") / "templates" / TEMPLATE_NAME))


def open_template(template: str | Path | None = None):
    """A python-pptx ``Presentation`` on a .pptx or .potx template (default: the shipped one),
    without the slides the template holds (its master and layouts are kept)."""
    from lxml.etree import XMLSyntaxError
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    path = Path(template) if template is not None else default_template_path()
    if not path.is_file():
        raise FileError.single("SC101", Location(str(path)))
    try:
        data = path.read_bytes()
        if path.suffix.lower() in (".potx", ".potm"):
            data = _template_as_presentation(data)
        prs = Presentation(io.BytesIO(data))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError, XMLSyntaxError) as exc:
        raise FileError.single("SC102", Location(str(path)), kind="PowerPoint (.pptx, .potx)",
                               detail=str(exc) or type(exc).__name__) from None
    _remove_slides(prs)
    try:
        pick_layouts(prs)
    except LookupError:
        raise FileError.single("SC102", Location(str(path)), kind="PowerPoint (.pptx, .potx)",
                               detail=Bilingual(term("deck:no_title_layout", "id"),
                                                term("deck:no_title_layout", "en"))) from None
    return prs


def _template_as_presentation(data: bytes) -> bytes:
    """A .potx is a .pptx with another content type for its main part: relabel it."""
    main = b"presentationml.presentation.main+xml"
    return office_template_as_file(data, {b"presentationml.template.main+xml": main,
                                          b"presentationml.templateMacroEnabled.main+xml": main})


def _remove_slides(prs) -> None:
    """Drop every slide of a template (the layouts and master stay)."""
    ids = prs.slides._sldIdLst
    for slide_id in list(ids):
        prs.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def inches(self) -> tuple[float, float]:
        """Width and height in inches (the size a picture is drawn at)."""
        return round(self.width / 914400, 3), round(self.height / 914400, 3)


@dataclass(frozen=True)
class ChartLayout:
    """A layout for a title, a finding and a chart, and where each goes.

    On a layout with its own finding placeholder the boxes are the layout's. Otherwise
    (``area`` set) the finding takes a strip at the top of the area, as tall as the deck's
    findings need (:meth:`fitted`), and the chart the rest.
    """

    layout: object
    finding_idx: int | None  # the text placeholder of the finding; None: a text box
    finding_box: Box | None  # set when the finding is resized or drawn in a text box
    chart_box: Box
    area: Box | None = None  # the room shared by the finding and the chart

    def fitted(self, findings: list[Finding]) -> ChartLayout:
        """The boxes for these findings: a strip of as many lines as the longest one needs."""
        if self.area is None:
            return self
        strip = _strip_height(findings, self.area.width)
        a = self.area
        return replace(self, finding_box=Box(a.left, a.top, a.width, strip),
                       chart_box=Box(a.left, a.top + strip, a.width, a.height - strip))


#: Point sizes of a finding and of its caveats where the deck sets them (text boxes, and body
#: placeholders styled for a whole slide); the shipped template's layout sets its own.
FINDING_SIZE, CAVEAT_SIZE = 18, 14


def _strip_height(findings: list[Finding], width_emu: int) -> int:
    """EMU height of the finding strip: the lines the longest finding and its caveats take at
    :data:`FINDING_SIZE` and :data:`CAVEAT_SIZE` (Arial averages about half an em a character)."""
    width_pt = width_emu / 12700

    def lines(text: str, size: int) -> int:
        return max(1, -(-len(text) * size * 0.52 // width_pt))

    points = max((1.2 * FINDING_SIZE * lines(f.finding, FINDING_SIZE)
                  + sum(1.2 * CAVEAT_SIZE * lines(c, CAVEAT_SIZE) for c in f.caveats) for f in findings),
                 default=1.2 * FINDING_SIZE)
    return int((points + 10) * 12700)


@dataclass(frozen=True)
class DeckLayouts:
    """The layouts a deck is built on (:func:`pick_layouts`)."""

    title: object  # title and subtitle
    subtitle_idx: int | None  # None: the title slide is a text slide (title and body)
    chart: ChartLayout
    text: object  # title and one body
    body_idx: int


def _kinds():
    from pptx.enum.shapes import PP_PLACEHOLDER as T

    return {
        "title": {T.TITLE}, "center": {T.CENTER_TITLE}, "subtitle": {T.SUBTITLE}, "text": {T.BODY},
        "graphic": {T.OBJECT, T.PICTURE, T.CHART, T.TABLE},
        "latent": {T.DATE, T.FOOTER, T.SLIDE_NUMBER, T.HEADER},
    }


def _roles(layout) -> dict[str, list]:
    """A layout's placeholders by role; vertical and unplaced ones count as ``other``."""
    roles: dict[str, list] = {k: [] for k in ("title", "center", "subtitle", "text", "graphic", "latent", "other")}
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        role = next((name for name, types in _kinds().items() if kind in types), "other")
        vertical = ph.element.ph is not None and ph.element.ph.get("orient") == "vert"
        placed = None not in (ph.left, ph.top, ph.width, ph.height)
        roles["other" if role != "latent" and (vertical or not placed) else role].append(ph)
    return roles


def _box(ph) -> Box:
    return Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))


def pick_layouts(prs) -> DeckLayouts:
    """The layouts of ``prs`` the deck is built on, chosen by their placeholders.

    Chart slides: a title above a text placeholder above a wide content placeholder, else a
    title with one wide body or content placeholder (split into the finding and the chart),
    else a title only. Text slides: a title and one wide body. Title slide: a title with a
    subtitle, else the text layout. The first layout of the best kind wins. Raises
    ``LookupError`` when no layout has a title placeholder.
    """
    from pptx.util import Inches

    width, height = int(prs.slide_width), int(prs.slide_height)
    strip = int(Inches(FINDING_BOX[3]))  # how far a finding placeholder may reach into the chart
    chart, chart_rank = None, 0
    text, text_rank, title_slide = None, 0, None
    for layout in prs.slide_layouts:
        r = _roles(layout)
        if r["other"]:
            continue
        if (r["center"] or r["title"]) and len(r["center"] + r["title"]) == 1 and len(r["subtitle"]) == 1 \
                and not r["text"] and not r["graphic"] and title_slide is None:
            title_slide = (layout, r["subtitle"][0].placeholder_format.idx)
        if len(r["title"]) != 1 or r["center"] or r["subtitle"]:
            continue
        title = _box(r["title"][0])
        wide = [ph for ph in r["text"] + r["graphic"] if ph.width >= 0.5 * width]
        bodies = r["text"] + r["graphic"]
        if len(r["text"]) == 1 and len(r["graphic"]) == 1 and len(wide) == 2 \
                and r["text"][0].top + r["text"][0].height <= r["graphic"][0].top + strip // 4:
            rank, found = 3, ChartLayout(layout, r["text"][0].placeholder_format.idx, None, _box(r["graphic"][0]))
        elif len(bodies) == 1 and wide:
            area = _box(bodies[0])
            rank, found = 2, ChartLayout(layout, bodies[0].placeholder_format.idx, None, area, area)
            if text_rank < 2:
                text, text_rank = (layout, bodies[0].placeholder_format.idx), 2
        elif not bodies:
            footers = [ph.top for ph in r["latent"] if ph.top > title.top + title.height]
            top = title.top + title.height
            bottom = min(footers, default=height - int(Inches(0.5)))
            area = Box(title.left, top, title.width, bottom - top)
            rank, found = 1, ChartLayout(layout, None, None, area, area)
        else:
            continue
        if rank > chart_rank:
            chart, chart_rank = found, rank
    if chart is None:
        raise LookupError("no layout with a title placeholder")
    if text is None:  # the chart layout's finding placeholder, over the whole area
        text = (chart.layout, chart.finding_idx)
    if title_slide is None:
        title_slide = (text[0], None)
    return DeckLayouts(title_slide[0], title_slide[1], chart, text[0], text[1])


# --- the deck -----------------------------------------------------------------------------------


@uses_context
def build_deck(scores, gaps, region: str, *, uncertainty=None, lang: str = "id",
               date: dt.date | None = None, synthetic: bool = False, source: str | None = None,
               figures: dict | None = None, template: str | Path | None = None):
    """A python-pptx ``Presentation`` for one region (see the module docstring).

    Parameters
    ----------
    scores, gaps
        A scoring run and its gap analysis (whose cycle the deck describes).
    region : str
        Region of the workshop (any spelling the alias table knows).
    uncertainty : UncertaintyResult, optional
        Rank intervals, for a ranking drawn as a picture (the deck's ranking is native).
    lang : {"id", "en"}
    date : date, optional
        On the title slide; default today.
    synthetic : bool
        Mark the deck "data sintetis" (title slide and every footnote).
    figures : dict, optional
        Picture charts of this region already drawn as slide bodies (``chart_set`` inside
        ``slide_body(size)`` at the chart area's size, :data:`CHART_BOX` on the shipped
        template), reused rather than drawn again. Figures of any other size, such as the
        standalone 13.33 x 7.5 in charts, are not used: a picture is drawn at the size it is
        shown, so its labels are fitted to the room they get.
    template : path, optional
        An office's .pptx or .potx: the deck is built on its master and layouts (chosen by
        their placeholders, :func:`pick_layouts`); the slides it holds are removed. Default:
        the shipped ``templates/deck.pptx``.
    """
    region = gaps.resolve_region(region)
    cycle = gaps.cycle
    prs = open_template(template)
    layouts = pick_layouts(prs)
    texts = findings(scores, gaps, region, lang=lang)
    shown, missing = _slides_shown(scores, gaps, cycle, texts, lang)
    layouts = replace(layouts, chart=layouts.chart.fitted([texts[k] for k in (*shown, "closing")]))
    footnote = _footnote(cycle, lang, synthetic, source)
    _title_slide(prs, layouts, region, cycle, date or dt.date.today(), lang, synthetic)

    from .charts.export import close_figure, png_images
    from .charts.theme import DPI

    box = layouts.chart.chart_box
    wanted = [chart_key for key, chart_key, native in SLIDES if native is None and key in shown]
    figures, drawn = _picture_figures(scores, gaps, uncertainty, region, lang, cycle, wanted, figures or {},
                                      _drawing_size(box))
    try:
        pictures = png_images(figures, DPI)
    finally:
        for fig in drawn.values():
            close_figure(fig)
    for key, chart_key, native in SLIDES:
        if key not in shown:
            continue
        if native is None and chart_key not in pictures:
            missing.append(sentence("sentence:left_out", lang, chart=texts[key].title,
                                    reason=sentence("sentence:reason_not_drawn", lang)))
            continue
        slide = _chart_slide(prs, layouts, texts[key])
        alt = sentence("deck:alt_chart", lang, title=texts[key].title, finding=texts[key].finding)
        if native == "ranking":
            shape = _native_ranking(slide, box, scores, cycle, region, lang)
        elif native == "radar":
            shape = _native_radar(slide, box, scores, gaps, cycle, region, lang)
        elif native == "gap_bars":
            shape = _native_gap_bars(slide, box, scores, gaps, region, lang)
        elif native == "pareto":
            shape = _native_pareto(slide, box, scores, gaps, region, lang)
        else:
            shape = _picture(slide, box, pictures[chart_key])
        _alt_text(shape, alt)
        _footer(slide, layouts.chart.layout, footnote)
    if missing:
        _text_slide(prs, layouts, term("deck:left_out", lang), missing, footnote)
    _closing_slide(prs, layouts, scores, gaps, region, lang, texts["closing"], footnote)
    _document_properties(prs, region, cycle, lang)
    _mark_language(prs, lang)
    return prs


def write_deck(prs, path: str | Path) -> Path:
    """Save a deck atomically."""
    from .workbook import atomic_write

    path = Path(path)
    try:
        with atomic_write(path, "wb") as handle:
            prs.save(handle)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return path


def _slides_shown(scores, gaps, cycle: int, texts: dict[str, Finding], lang: str) -> tuple[set[str], list[str]]:
    """The slides the data allow, and for each one left out a sentence saying why."""
    one_region = cohort_size(scores, cycle) < 2
    shown, missing = set(), []
    for key, _, _ in SLIDES:
        if key in texts and not (one_region and key in COHORT_SLIDES):
            shown.add(key)
            continue
        if one_region and key in COHORT_SLIDES:
            reason = sentence("sentence:reason_one_region", lang)
        elif key in _NEED_PREVIOUS:
            reason = sentence("sentence:reason_no_previous", lang, cycle=str(cycle))
        elif key in _NEED_GAPS:
            reason = sentence("sentence:reason_no_gap", lang)
        else:
            reason = sentence("sentence:reason_not_drawn", lang)
        missing.append(sentence("sentence:left_out", lang, chart=term(f"deck:{key}", lang), reason=reason))
    return shown, missing


def _footnote(cycle: int, lang: str, synthetic: bool, source: str | None) -> str:
    from .charts.theme import source_line

    return source_line(source or sentence("chart:default_source", lang, cycle=str(cycle)), synthetic, lang)


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# --- slides -------------------------------------------------------------------------------------


def _title_slide(prs, layouts: DeckLayouts, region: str, cycle: int, date: dt.date, lang: str,
                 synthetic: bool) -> None:
    heading = term("deck:title", lang)
    when = sentence("deck:subtitle", lang, cycle=str(cycle), date=date_text(date, lang))
    lines = [heading, when] + ([term("synthetic", lang).upper()] if synthetic else [])
    if layouts.subtitle_idx is None:
        slide = prs.slides.add_slide(layouts.text)
        _keep_placeholders(slide, (0, layouts.body_idx))
        frame = slide.placeholders[layouts.body_idx].text_frame
    else:
        slide = prs.slides.add_slide(layouts.title)
        _keep_placeholders(slide, (0, layouts.subtitle_idx))
        frame = slide.placeholders[layouts.subtitle_idx].text_frame
    slide.shapes.title.text = region
    _paragraphs(frame, lines)
    if synthetic:
        font = frame.paragraphs[-1].runs[0].font
        font.bold = True
        font.color.rgb = _rgb(WARNING)
    slide.notes_slide.notes_text_frame.text = f"{heading}: {region}, {when}"


def _chart_slide(prs, layouts: DeckLayouts, finding: Finding):
    """A slide on the chart layout: title, finding (and caveats); the chart and then the footer
    (:func:`_footer`, last in reading order) are added by the caller."""
    from pptx.util import Pt

    chart = layouts.chart
    slide = prs.slides.add_slide(chart.layout)
    keep = (0,) if chart.finding_idx is None else (0, chart.finding_idx)
    _keep_placeholders(slide, keep)
    slide.shapes.title.text = finding.title
    if chart.finding_idx is None:
        b = chart.finding_box
        frame = slide.shapes.add_textbox(b.left, b.top, b.width, b.height).text_frame
        frame.word_wrap = True
    else:
        placeholder = slide.placeholders[chart.finding_idx]
        if chart.finding_box is not None:
            b = chart.finding_box
            placeholder.left, placeholder.top, placeholder.width, placeholder.height = b.left, b.top, b.width, b.height
        frame = placeholder.text_frame
    _paragraphs(frame, [finding.finding, *finding.caveats], levels=[0] + [1] * len(finding.caveats))
    if chart.finding_box is not None:  # a text box, or a body placeholder styled for a whole slide
        for paragraph, size in zip(frame.paragraphs, [FINDING_SIZE] + [CAVEAT_SIZE] * len(finding.caveats),
                                   strict=True):
            _no_bullet(paragraph)
            for run in paragraph.runs:
                run.font.size = Pt(size)
    slide.notes_slide.notes_text_frame.text = f"{finding.finding}\n\n{finding.notes}".strip()
    return slide


def _text_slide(prs, layouts: DeckLayouts, title: str, lines: list[str], footnote: str, notes: str = ""):
    slide = prs.slides.add_slide(layouts.text)
    _keep_placeholders(slide, (0, layouts.body_idx))
    slide.shapes.title.text = title
    _paragraphs(slide.placeholders[layouts.body_idx].text_frame, lines)
    _footer(slide, layouts.text, footnote)
    slide.notes_slide.notes_text_frame.text = notes or "\n".join(lines)
    return slide


def _closing_slide(prs, layouts: DeckLayouts, scores, gaps, region: str, lang: str, finding: Finding,
                   footnote: str) -> None:
    from pptx.util import Emu, Inches, Pt

    from .narrative import CLOSING_ROWS

    fw = scores.framework
    names = fw.names(lang)
    pri = gaps.priorities[(gaps.priorities["region"] == region) & (gaps.priorities["priority"] == "quick_win")]
    pri = pri.sort_values("index_points", ascending=False).head(CLOSING_ROWS)
    if pri.empty:
        _text_slide(prs, layouts, finding.title, [finding.finding], footnote)
        return
    slide = _chart_slide(prs, layouts, finding)
    headers = [term("code", lang), term("indicator", lang), term("dimension", lang), term("index_points", lang),
               term("horizon", lang)]
    box = layouts.chart.chart_box
    rows, cols = len(pri) + 1, len(headers)
    row_height = min(int(Inches(0.5)), box.height // rows)
    frame = slide.shapes.add_table(rows, cols, box.left, box.top, box.width, row_height * rows)
    table = frame.table
    shares = np.array([1.3, 5.5, 2.1, 1.6, 1.8])
    for j, share in enumerate(shares / shares.sum()):
        table.columns[j].width = Emu(int(box.width * share))
    fit = min(1.0, box.inches[0] / CHART_BOX[2])  # a narrower area, smaller type
    for j, header in enumerate(headers):
        cell = table.cell(0, j)
        cell.text = header
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(max(11, round(16 * fit)))
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
    for i, (_, r) in enumerate(pri.iterrows(), start=1):
        values = [r["code"], names[r["code"]], dimension_label(fw, r["dimension"]),
                  signed_number(r["index_points"], lang, 2), horizon_label(r["horizon"], lang)]
        for j, value in enumerate(values):
            cell = table.cell(i, j)
            cell.text = str(value)
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(max(10, round(14 * fit)))
    _alt_text(frame, sentence("deck:alt_table", lang, title=finding.title, finding=finding.finding))
    _footer(slide, layouts.chart.layout, footnote)


def _keep_placeholders(slide, keep) -> None:
    """Remove the placeholders the layout put on the slide that this slide does not fill (an
    empty placeholder shows its prompt text in PowerPoint)."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx not in keep:
            ph.element.getparent().remove(ph.element)


def _paragraphs(frame, lines: list[str], levels: list[int] | None = None) -> None:
    frame.text = lines[0] if lines else ""
    frame.paragraphs[0].level = (levels or [0])[0]
    for i, line in enumerate(lines[1:], start=1):
        paragraph = frame.add_paragraph()
        paragraph.text = line
        paragraph.level = levels[i] if levels else 0


def _no_bullet(paragraph) -> None:
    from pptx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", "0")
    p_pr.set("indent", "0")
    for old in p_pr.findall(qn("a:buNone")):
        p_pr.remove(old)
    p_pr.insert(0, p_pr.makeelement(qn("a:buNone"), {}))


def _footer(slide, layout, footnote: str) -> None:
    """The source line in the layout's footer and the slide number in its number placeholder,
    where the layout has them (PowerPoint shows them only when the slide carries a copy)."""
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER) or (kind == PP_PLACEHOLDER.FOOTER
                                                                                and not footnote):
            continue
        slide.shapes.clone_placeholder(ph)
        clone = slide.placeholders[ph.placeholder_format.idx]
        frame = clone.text_frame
        # The layout's text box and styles, copied: LibreOffice does not inherit a footer's.
        body = clone.element.find(qn("p:txBody"))
        for tag in ("a:bodyPr", "a:lstStyle"):
            if (style := _inherited(ph, tag)) is not None:
                if (old := body.find(qn(tag))) is not None:
                    body.remove(old)
                body.insert(0 if tag == "a:bodyPr" else 1, copy.deepcopy(style))
        if kind == PP_PLACEHOLDER.FOOTER:
            frame.text = footnote
        else:
            number = len(slide.part.package.presentation_part.presentation.slides)
            frame.paragraphs[0]._p.append(parse_xml(
                f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">'
                f"<a:t>{number}</a:t></a:fld>"))


def _inherited(layout_placeholder, tag: str):
    """The layout placeholder's ``a:bodyPr`` or ``a:lstStyle``, else its master's (same type)."""
    from pptx.oxml.ns import qn

    for ph in (layout_placeholder, layout_placeholder.part.slide_master.placeholders.get(
            layout_placeholder.placeholder_format.type)):
        body = ph.element.find(qn("p:txBody")) if ph is not None else None
        style = body.find(qn(tag)) if body is not None else None
        if style is not None and len(style) + len(style.attrib):
            return style
    return None


def _alt_text(shape, text: str) -> None:
    """Alt text (``descr`` of ``p:cNvPr``), read by screen readers and the accessibility checker."""
    from pptx.oxml.ns import qn

    shape.element.find(f".//{qn('p:cNvPr')}").set("descr", text)


def _document_properties(prs, region: str, cycle: int, lang: str) -> None:
    core = prs.core_properties
    core.title = sentence("deck:document_title", lang, region=region)
    core.subject = sentence("chart:default_source", lang, cycle=str(cycle))
    core.language = LANGUAGE_TAGS[lang]
    core.author = core.last_modified_by = "smartcity_analysis"
    core.keywords = core.comments = ""


def _mark_language(prs, lang: str) -> None:
    """Tag every run of the slides and notes with the deck's language."""
    from pptx.oxml.ns import qn

    tag = LANGUAGE_TAGS[lang]
    run_tags = (qn("a:r"), qn("a:fld"))
    for slide in prs.slides:
        parts = [slide.element] + ([slide.notes_slide.element] if slide.has_notes_slide else [])
        for element in parts:
            for run in element.iter(*run_tags):
                r_pr = run.find(qn("a:rPr"))
                if r_pr is None:
                    r_pr = run.makeelement(qn("a:rPr"), {})
                    run.insert(0, r_pr)
                r_pr.set("lang", tag)
            for end in element.iter(qn("a:endParaRPr")):
                end.set("lang", tag)


# --- charts on the slides -----------------------------------------------------------------------


def _drawing_size(box: Box) -> tuple[float, float]:
    """Inches a picture chart is drawn at: the size of the chart area, or, in an area narrower
    than the shipped template's (a 4:3 office template), the same shape at that width, shown
    scaled down: the charts' labels need that much room to be laid out at all."""
    width, height = box.inches
    scale = max(1.0, CHART_BOX[2] / width)
    return round(width * scale, 3), round(height * scale, 3)


def _is_body_figure(figure, size: tuple[float, float]) -> bool:
    return bool(np.allclose(figure.get_size_inches(), size, atol=0.01))


def _picture_figures(scores, gaps, uncertainty, region: str, lang: str, cycle: int, wanted: list[str],
                     given: dict, size: tuple[float, float]) -> tuple[dict, dict]:
    """``(figures, drawn)``: the deck's picture charts as slide bodies of ``size`` inches (the
    slide has its own title and footnote), and those of them drawn here, for the deck to
    close. Figures handed in are used when they were drawn so, and only then."""
    from .charts import chart_set, slide_body

    reused = {k: fig for k, fig in given.items() if k in wanted and _is_body_figure(fig, size)}
    drawn = {}
    if missing := [k for k in wanted if k not in reused]:
        with slide_body(size):
            drawn = chart_set(scores, gaps=gaps, uncertainty=uncertainty, region=region, lang=lang,
                              cycle=cycle, keys=missing)
    figures = {**reused, **drawn}
    return {k: figures[k] for k in wanted if k in figures}, drawn


def _picture(slide, box: Box, png: bytes):
    """A slide-body chart (as PNG bytes) filling the chart area, at its true size."""
    return slide.shapes.add_picture(io.BytesIO(png), box.left, box.top, box.width, box.height)


def _add_chart(slide, box: Box, kind, data, *, legend: bool = False):
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Pt

    frame = slide.shapes.add_chart(kind, box.left, box.top, box.width, box.height, data)
    chart = frame.chart
    chart.has_title = False  # the slide's title is the chart's title
    chart.font.size = Pt(14)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
    return frame


def _number_format(decimals: int, lang: str) -> str:
    return NUMBER_LOCALES[lang] + ("0." + "0" * decimals if decimals else "0")


def _value_axis(chart, lo: float, hi: float, lang: str) -> None:
    from pptx.util import Pt

    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale = lo, hi
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRIDLINES)
    axis.tick_labels.font.size = Pt(14)
    axis.tick_labels.number_format = _number_format(0 if hi - lo > 10 else 1, lang)
    axis.tick_labels.number_format_is_linked = False


def _bar_labels(chart, lang: str, decimals: int = 1) -> None:
    from pptx.util import Pt

    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(12)
    labels.number_format = _number_format(decimals, lang)
    labels.number_format_is_linked = False


def _native_ranking(slide, box: Box, scores, cycle: int, region: str, lang: str):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    index = scores.index(cycle).dropna().sort_values()  # bar charts draw bottom-up
    data = CategoryChartData()
    data.categories = list(index.index)
    data.add_series(term("index", lang), [round(float(v), 2) for v in index.to_numpy()])
    frame = _add_chart(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart = frame.chart
    _value_axis(chart, *scores.scale_range, lang)
    chart.category_axis.tick_labels.font.size = Pt(14)
    _bar_labels(chart, lang)
    chart.plots[0].gap_width = 40
    series = chart.plots[0].series[0]
    for i, name in enumerate(index.index):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(HIGHLIGHT if name == region else OTHERS)
    return frame


def _native_radar(slide, box: Box, scores, gaps, cycle: int, region: str, lang: str):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    from .charts.theme import MEDIAN, dimension_colors

    fw = scores.framework
    dims = scores.level("dimension", cycle)
    own = dims.loc[region]
    median = dims.median()
    g = gaps.gaps[(gaps.gaps["region"] == region) & (gaps.gaps["level"] == "dimension")].set_index("code")
    data = CategoryChartData()
    data.categories = [dimension_label(fw, d) for d in fw.dimensions]
    data.add_series(region, [round(float(own[d]), 2) for d in fw.dimensions])
    colours = [dimension_colors(fw)[fw.dimensions[0]]]
    if dims.shape[0] > 1:  # a median of one region is the region itself
        data.add_series(term("cohort_median", lang), [round(float(median[d]), 2) for d in fw.dimensions])
        colours.append(MEDIAN)
    if not g.empty:
        data.add_series(term("target", lang), [round(float(g.loc[d, "target"]), 2) for d in fw.dimensions])
        colours.append("D55E00")
    frame = _add_chart(slide, box, XL_CHART_TYPE.RADAR_MARKERS, data, legend=True)
    chart = frame.chart
    _value_axis(chart, *scores.scale_range, lang)
    for series, colour in zip(chart.plots[0].series, colours, strict=True):
        series.format.line.color.rgb = _rgb(colour)
        series.format.line.width = Pt(3 if series.name == region else 2)
        series.smooth = False
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
    return frame


def _native_gap_bars(slide, box: Box, scores, gaps, region: str, lang: str):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    from .charts.theme import dimension_colors

    fw = scores.framework
    g = gaps.gaps[(gaps.gaps["region"] == region) & (gaps.gaps["level"] == "dimension")].set_index("code")
    g = g.reindex(fw.dimensions)
    data = CategoryChartData()
    data.categories = [dimension_label(fw, d) for d in fw.dimensions]
    data.add_series(term("current", lang), [round(float(v), 2) for v in g["current"].to_numpy()])
    data.add_series(term("target", lang), [round(float(v), 2) for v in g["target"].to_numpy()])
    frame = _add_chart(slide, box, XL_CHART_TYPE.COLUMN_CLUSTERED, data, legend=True)
    chart = frame.chart
    _value_axis(chart, *scores.scale_range, lang)
    _bar_labels(chart, lang)
    colours = dimension_colors(fw)
    current, target = chart.plots[0].series
    for i, d in enumerate(fw.dimensions):
        point = current.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colours[d])
    target.format.fill.solid()
    target.format.fill.fore_color.rgb = _rgb(GRIDLINES)
    return frame


def _native_pareto(slide, box: Box, scores, gaps, region: str, lang: str):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    from .charts.theme import dimension_colors

    fw = scores.framework
    top = gaps.top(10, region).sort_values("rank", ascending=False)  # bottom-up
    names = fw.names(lang)
    data = CategoryChartData()
    data.categories = [f"{c} {_shorten(names[c], 48)}" for c in top["code"]]
    data.add_series(term("index_points", lang), [round(float(v), 3) for v in top["index_points"].to_numpy()])
    frame = _add_chart(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart = frame.chart
    chart.category_axis.tick_labels.font.size = Pt(12)
    axis = chart.value_axis
    axis.minimum_scale = 0  # bars start at zero, always
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(GRIDLINES)
    axis.tick_labels.number_format = _number_format(2, lang)
    axis.tick_labels.number_format_is_linked = False
    _bar_labels(chart, lang, 2)
    chart.plots[0].gap_width = 40
    colours = dimension_colors(fw)
    series = chart.plots[0].series[0]
    for i, dim in enumerate(top["dimension"]):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colours.get(dim, OTHERS))
    return frame


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"
