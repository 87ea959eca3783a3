"""Generate the default PowerPoint template of the decks (``presentation/templates/deck.pptx``).

The template is what an office replaces with its own (``smartcity deck --template office.pptx``),
so it holds only what a template should: a 16:9 slide master, a theme (Okabe-Ito colours, the
charts' colour-blind-safe palette; Arial, which every office PC has) and five layouts whose
placeholders the deck writes into. The deck picks layouts by their placeholders, not by these
names, so any office template with a title slide and a "title and content" layout works too::

    Judul             title slide: title (the region) and subtitle, on a band in the dark theme colour
    Judul dan Isi     title and a bulleted body (text slides)
    Judul dan Grafik  title, a one-line finding (body placeholder) and the chart area (content
                      placeholder, the deck's CHART_BOX); footer (source line) and slide number
    Hanya Judul       title only
    Kosong            blank

To make an office template: open ``deck.pptx`` in PowerPoint, View > Slide Master, change the
theme colours and fonts, put the logo on the master, move the placeholders if you like, save
under a new name (.pptx or .potx).

Usage::

    python scripts/make_pptx_template.py            # writes the package's deck.pptx
    python scripts/make_pptx_template.py -o my.pptx
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.util import Inches

from smartcity_analysis.presentation.charts.theme import OKABE_ITO
from smartcity_analysis.presentation.deck import (
    CHART_BOX,
    FINDING_BOX,
    SLIDE_HEIGHT_IN,
    SLIDE_WIDTH_IN,
    TITLE_BOX,
    default_template_path,
)

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"

FONT = "Arial"
#: The theme colours: text and background neutral, the dark blue of the workbook's headers for
#: the title band, the six Okabe-Ito colours of the charts' dimensions as accents.
COLOURS = {
    "dk1": "1A1A1A", "lt1": "FFFFFF", "dk2": "1F4E79", "lt2": "F2F2F2",
    "accent1": OKABE_ITO["blue"], "accent2": OKABE_ITO["orange"], "accent3": OKABE_ITO["bluish_green"],
    "accent4": OKABE_ITO["vermillion"], "accent5": OKABE_ITO["reddish_purple"], "accent6": OKABE_ITO["sky_blue"],
    "hlink": OKABE_ITO["blue"], "folHlink": OKABE_ITO["reddish_purple"],
}
GREY = '<a:srgbClr val="595959"/>'  # the charts' footnote grey (7:1 on white)

FOOTER_BOX = (0.5, 7.0, 10.8, 0.35)
NUMBER_BOX = (11.8, 7.0, 1.0, 0.35)
BAND_HEIGHT = 4.35
BAND_TITLE_BOX = (0.8, 1.0, 11.7, 3.1)
SUBTITLE_BOX = (0.8, 4.75, 11.7, 2.2)


def emu(value: float) -> int:
    return int(Inches(value))


def xfrm(box) -> str:
    left, top, width, height = (emu(v) for v in box)
    return f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def placeholder(shape_id: int, name: str, ph: str, box, *, body_pr: str = "<a:bodyPr/>",
                lst_style: str = "<a:lstStyle/>", prompt: str = "", field: str = "") -> str:
    """A placeholder ``p:sp`` (``ph`` is the ``p:ph`` attributes)."""
    if field:
        text = (f'<a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{field}">'
                f'<a:rPr lang="id-ID"/><a:t>&#8249;#&#8250;</a:t></a:fld>')
    else:
        text = f'<a:r><a:rPr lang="id-ID"/><a:t>{prompt}</a:t></a:r>' if prompt else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f'</p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr><p:spPr>{xfrm(box)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody>{body_pr}{lst_style}'
            f'<a:p>{text}<a:endParaRPr lang="id-ID"/></a:p></p:txBody></p:sp>')


def rectangle(shape_id: int, name: str, box, fill: str) -> str:
    """A filled rectangle without outline (decoration of a layout)."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill>{fill}</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="id-ID"/></a:p>'
            f'</p:txBody></p:sp>')


def sp_tree(*shapes: str) -> str:
    return (f'<p:spTree {NS}><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
            f'<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
            f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree>')


def small(align: str) -> str:
    return (f'<a:lstStyle><a:lvl1pPr algn="{align}"><a:defRPr sz="1000"><a:solidFill>{GREY}</a:solidFill>'
            f'</a:defRPr></a:lvl1pPr></a:lstStyle>')


def footer(shape_id: int, idx: int) -> str:
    return placeholder(shape_id, "Sumber", f'type="ftr" sz="quarter" idx="{idx}"', FOOTER_BOX,
                       body_pr='<a:bodyPr lIns="0" rIns="0" anchor="ctr"/>', lst_style=small("l"))


def slide_number(shape_id: int, idx: int) -> str:
    return placeholder(shape_id, "Nomor slide", f'type="sldNum" sz="quarter" idx="{idx}"', NUMBER_BOX,
                       body_pr='<a:bodyPr lIns="0" rIns="0" anchor="ctr"/>', lst_style=small("r"),
                       field="slidenum")


def title(shape_id: int = 2) -> str:
    return placeholder(shape_id, "Judul", 'type="title"', TITLE_BOX, prompt="Judul slide")


# --- theme and master --------------------------------------------------------------------------


def set_theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.set("name", "Smart City")
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    scheme.set("name", "Okabe-Ito")
    for slot, colour in COLOURS.items():
        element = scheme.find(f"{A}{slot}")
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{A}srgbClr", val=colour.lstrip("#").upper())
    fonts = theme.find(f"{A}themeElements/{A}fontScheme")
    fonts.set("name", FONT)
    for kind in ("majorFont", "minorFont"):
        fonts.find(f"{A}{kind}/{A}latin").set("typeface", FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def body_levels() -> str:
    sizes = (2000, 1800, 1600, 1400, 1400)
    chars = ("•", "–", "•", "–", "•")
    levels = []
    for i, (size, char) in enumerate(zip(sizes, chars, strict=True), start=1):
        mar = 285750 * i
        levels.append(
            f'<a:lvl{i}pPr marL="{mar}" indent="-285750" algn="l" rtl="0"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="600"/></a:spcBef><a:buFont typeface="Arial"/><a:buChar char="{char}"/>'
            f'<a:defRPr sz="{size}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{i}pPr>')
    return "".join(levels)


def set_master(prs) -> None:
    master = prs.slide_master._element
    tree = master.find(f"{P}cSld/{P}spTree")
    new_tree = parse_xml(sp_tree(
        placeholder(2, "Judul", 'type="title"', TITLE_BOX,
                    body_pr='<a:bodyPr lIns="0" rIns="0" tIns="0" bIns="0" anchor="b"><a:normAutofit/></a:bodyPr>',
                    prompt="Klik untuk mengubah gaya judul"),
        placeholder(3, "Isi", 'type="body" idx="1"', CHART_BOX,
                    body_pr='<a:bodyPr lIns="0" rIns="0"><a:normAutofit/></a:bodyPr>',
                    prompt="Klik untuk mengubah gaya teks"),
        footer(4, 3),
        slide_number(5, 4),
    ))
    tree.getparent().replace(tree, new_tree)
    styles = master.find(f"{P}txStyles")
    title_style = parse_xml(
        f'<p:titleStyle {NS}><a:lvl1pPr algn="l" rtl="0"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/><a:defRPr sz="2800" b="1" kern="1200">'
        f'<a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mj-lt"/>'
        f'<a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>')
    body_style = parse_xml(f"<p:bodyStyle {NS}>{body_levels()}</p:bodyStyle>")
    styles.replace(styles.find(f"{P}titleStyle"), title_style)
    styles.replace(styles.find(f"{P}bodyStyle"), body_style)


# --- layouts ------------------------------------------------------------------------------------


def title_slide_tree() -> str:
    dimension_colours = list(COLOURS.values())[4:10]
    strip = [rectangle(10 + i, f"Garis warna {i + 1}", (i * SLIDE_WIDTH_IN / 6, BAND_HEIGHT, SLIDE_WIDTH_IN / 6, 0.12),
                       f'<a:srgbClr val="{colour.lstrip("#")}"/>')
             for i, colour in enumerate(dimension_colours)]
    return sp_tree(
        rectangle(8, "Pita judul", (0, 0, SLIDE_WIDTH_IN, BAND_HEIGHT), '<a:schemeClr val="tx2"/>'),
        *strip,
        placeholder(2, "Judul", 'type="ctrTitle"', BAND_TITLE_BOX,
                    body_pr='<a:bodyPr lIns="0" rIns="0" anchor="b"><a:normAutofit/></a:bodyPr>',
                    lst_style='<a:lstStyle><a:lvl1pPr algn="l"><a:defRPr sz="4400" b="1"><a:solidFill>'
                              '<a:schemeClr val="bg1"/></a:solidFill></a:defRPr></a:lvl1pPr></a:lstStyle>',
                    prompt="Nama daerah"),
        placeholder(3, "Subjudul", 'type="subTitle" idx="1"', SUBTITLE_BOX,
                    body_pr='<a:bodyPr lIns="0" rIns="0" anchor="t"><a:normAutofit/></a:bodyPr>',
                    lst_style='<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="l"><a:spcBef><a:spcPts val="600"/>'
                              '</a:spcBef><a:buNone/><a:defRPr sz="2200"><a:solidFill><a:schemeClr val="tx1"/>'
                              '</a:solidFill></a:defRPr></a:lvl1pPr></a:lstStyle>',
                    prompt="Judul analisis, siklus dan tanggal"),
    )


def chart_tree() -> str:
    finding_style = (
        '<a:lstStyle>'
        '<a:lvl1pPr marL="0" indent="0"><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>'
        '<a:defRPr sz="1800"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        f'<a:lvl2pPr marL="0" indent="0"><a:spcBef><a:spcPts val="200"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="1400"><a:solidFill>{GREY}</a:solidFill></a:defRPr></a:lvl2pPr>'
        '</a:lstStyle>')
    return sp_tree(
        title(),
        placeholder(3, "Temuan", 'type="body" sz="quarter" idx="13"', FINDING_BOX,
                    body_pr='<a:bodyPr lIns="0" rIns="0" tIns="27432" bIns="0" anchor="t"><a:normAutofit/></a:bodyPr>',
                    lst_style=finding_style, prompt="Temuan dalam satu kalimat"),
        placeholder(4, "Grafik", 'sz="quarter" idx="14"', CHART_BOX, prompt="Grafik atau tabel"),
        footer(5, 11),
        slide_number(6, 12),
    )


def content_tree() -> str:
    return sp_tree(title(), placeholder(3, "Isi", 'idx="1"', CHART_BOX, prompt="Isi"), footer(4, 11),
                   slide_number(5, 12))


LAYOUTS = (  # (name, layout type, spTree): in this order in the template
    ("Judul", "title", title_slide_tree),
    ("Judul dan Isi", "obj", content_tree),
    ("Judul dan Grafik", "cust", chart_tree),
    ("Hanya Judul", "titleOnly", lambda: sp_tree(title(), footer(3, 11), slide_number(4, 12))),
    ("Kosong", "blank", lambda: sp_tree(footer(2, 11), slide_number(3, 12))),
)


def set_layouts(prs) -> None:
    layouts = list(prs.slide_layouts)
    kept = layouts[: len(LAYOUTS)]
    for layout in layouts[len(LAYOUTS):]:
        prs.slide_layouts.remove(layout)
    for layout, (name, kind, tree) in zip(kept, LAYOUTS, strict=True):
        element = layout._element
        element.set("type", kind)
        element.set("preserve", "1")
        csld = element.find(f"{P}cSld")
        csld.set("name", name)
        old = csld.find(f"{P}spTree")
        csld.replace(old, parse_xml(tree()))
        header_footer = element.find(f"{P}hf")
        if header_footer is not None:
            element.remove(header_footer)


def build_template():
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    set_theme(prs)
    set_master(prs)
    set_layouts(prs)
    core = prs.core_properties
    core.title, core.author, core.last_modified_by = "Templat deck Bimtek smart city", "smartcity_analysis", ""
    core.subject, core.keywords, core.comments = "", "smart city; Bimtek; templat", ""
    core.language = "id-ID"
    core.created = core.modified = dt.datetime(2024, 1, 1)
    core.revision = 1
    return prs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=default_template_path())
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(args.output)
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
