"""Generate the default Word template of the documents (``presentation/templates/dokumen.docx``).

The template is what an office replaces with its own (``smartcity documents --template
office.docx``), so it holds only what a template should: page setup (A4, 2.5 cm margins), the
styles the documents write through (:data:`~smartcity_analysis.presentation.documents._word.STYLE_SPECS`
and the ``Tabel Data`` table style), a cover made of fields, and a footer with a field and the
page number. Cover fields, filled per document (an empty one drops its paragraph)::

    {programme}  Gerakan Menuju 100 Smart City
    {title}      Analisis Kesiapan Smart City / Profil Quick Win / Peta Jalan ...
    {region}     Kabupaten Pekalongan
    {details}    Provinsi Jawa Tengah · kode wilayah 33.26
    {cycle}      Siklus asesmen 2024
    {date}       17 September 2024
    {note}       the synthetic-data warning, or nothing
    {footer}     (footer) document title and region

To make an office template: open ``dokumen.docx`` in Word, change the styles (Home > Styles >
Modify), put the logo and the office's name on the cover around the fields, save under a new name.

Usage::

    python scripts/make_docx_template.py            # writes the package's dokumen.docx
    python scripts/make_docx_template.py -o my.docx
"""

from __future__ import annotations

import argparse
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from smartcity_analysis.presentation.documents._word import (
    ACCENT,
    FONT,
    STYLE_SPECS,
    _field_runs,
    _text_run,
    add_paragraph_style,
    add_table_style,
    default_template_path,
    docx_bytes,
)


def build_template():
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # the cover has no page number

    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for spec in STYLE_SPECS:
        add_paragraph_style(doc, spec, replace=True, font=FONT)
    add_table_style(doc)
    footer_style = doc.styles["Footer"]
    footer_style.font.name, footer_style.font.size = FONT, Pt(8.5)
    footer_style.font.color.rgb = RGBColor.from_string("595959")

    # The cover: fields in the title styles, pushed down the page by spacing, not empty lines.
    cover = [
        ("Subtitle", "{programme}", 110),
        ("Title", "{title}", 6),
        ("Subtitle", "{region}", 0),
        ("Normal", "{details}", 0),
        ("Normal", "{cycle}", 150),
        ("Normal", "{date}", 0),
        ("Normal", "{note}", 24),
    ]
    for style, text, before in cover:
        paragraph = doc.add_paragraph(text, style=doc.styles[style])
        paragraph.paragraph_format.space_before = Pt(before)
        if text == "{note}":
            paragraph.runs[0].bold = True
            paragraph.runs[0].font.color.rgb = RGBColor.from_string("C00000")
        if text == "{programme}":
            paragraph.runs[0].font.color.rgb = RGBColor.from_string(ACCENT)

    footer = section.footer.paragraphs[0]
    footer.style = footer_style
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(_text_run("{footer} · "))
    for run in _field_runs("PAGE", "1"):
        footer._p.append(run)

    core = doc.core_properties
    core.title, core.author, core.comments = "Templat dokumen smart city", "smartcity_analysis", ""
    core.keywords = "smart city; masterplan; templat"
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=default_template_path())
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(docx_bytes(build_template()))  # the same bytes on every run
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
