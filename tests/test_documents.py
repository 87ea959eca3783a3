"""The masterplan documents, read back with python-docx: structure, words and the workbook's numbers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import numpy as np
import pytest
from docx.oxml.ns import qn

from smartcity_analysis.analysis.gaps import gap_sheet_frame
from smartcity_analysis.assessment import open_assessment
from smartcity_analysis.i18n import format_number, term
from smartcity_analysis.presentation.documents import (
    DOCUMENTS,
    build_executive_summary,
    build_quick_win_profile,
    document_path,
    region_facts,
    target_paths,
    write_document,
    write_documents,
)
from smartcity_analysis.presentation.documents._common import draw_figures, make_context
from smartcity_analysis.presentation.documents._word import PROMPT_STYLE, TABLE_STYLE, auto_widths
from smartcity_analysis.presentation.workbook import dimension_sheet

ROOT = Path(__file__).resolve().parents[1]
REGION = "Kabupaten Pekalongan"
DATE = dt.date(2024, 9, 17)
#: English words that never occur in an Indonesian sentence (nor in the sample's data).
ENGLISH = {"the", "and", "of", "with", "is", "are", "for", "from", "this", "that", "which", "by", "each", "to"}
#: Indonesian function words (the sample's evidence texts say "Tahun", which is data).
INDONESIAN = {"dan", "yang", "dari", "untuk", "dengan", "pada", "tidak", "adalah", "atau", "belum", "sudah", "tiap"}


@pytest.fixture(scope="module")
def assessment():
    return open_assessment(ROOT / "data" / "raw")


@pytest.fixture(scope="module")
def written(assessment, tmp_path_factory):
    out = tmp_path_factory.mktemp("dokumen")
    return write_documents(assessment, "Kab. Pekalongan", out, date=DATE)


@pytest.fixture(scope="module")
def docs(written):
    """The four documents read back from their files, by kind."""
    return {kind: docx.Document(path) for kind, path in zip(DOCUMENTS, written, strict=False)}


@pytest.fixture(scope="module")
def written_en(assessment, tmp_path_factory):
    out = tmp_path_factory.mktemp("documents_en")
    return write_documents(assessment, REGION, out, date=DATE, lang="en")


# --- reading helpers ----------------------------------------------------------------------------


def body_items(doc):
    """Body paragraphs and tables in order (python-docx objects)."""
    return list(doc.iter_inner_content())


def all_paragraphs(doc):
    """Every paragraph: the body's and every table cell's."""
    out = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def all_text(doc) -> str:
    parts = [p.text for p in all_paragraphs(doc)]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def words_of(doc) -> set[str]:
    """The lowercase words of a document, links (evidence) left out: codes like SB-TO are not words."""
    return set(re.findall(r"\b[a-z]+\b", re.sub(r"https?://\S+", "", all_text(doc))))


def tables_by_caption(doc) -> dict[str, object]:
    """Each table by the text of the caption above it (``Tabel 4. ...`` without the number)."""
    out, caption = {}, None
    for item in body_items(doc):
        if isinstance(item, docx.table.Table):
            if caption is not None:
                out[caption] = item
            caption = None
        elif item.style.name == "Caption":
            caption = re.sub(r"^\w+ \d+\. ", "", item.text)
    return out


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def number(value: float, decimals: int = 1) -> str:
    return format_number(float(value), decimals, "id")


def is_structural(paragraph) -> bool:
    """A paragraph without text that is there for a reason: a page break, a section break, a
    picture, a field."""
    p = paragraph._p
    return any(p.find(f".//{qn(tag)}") is not None for tag in ("w:br", "w:sectPr", "w:drawing", "w:fldChar"))


# --- files --------------------------------------------------------------------------------------


def test_four_documents_and_the_roadmap_workbook_with_names_safe_on_windows(written, assessment):
    names = [p.name for p in written]
    assert names == [
        "analisis_kesiapan_kabupaten-pekalongan.docx",
        "profil_quick_win_kabupaten-pekalongan.docx",
        "ringkasan_eksekutif_kabupaten-pekalongan.docx",
        "peta_jalan_kabupaten-pekalongan.docx",
        "peta_jalan_kabupaten-pekalongan.xlsx",
    ]
    for path in written:
        assert re.fullmatch(r"[a-z0-9_-]+\.(docx|xlsx)", path.name)
        assert path.stat().st_size > 10_000
    assert document_path("out", "analysis", "Kota Parepare", "en").name == "readiness_analysis_kota-parepare.docx"
    # a run that tells apart regions of the same name chooses the file-name part itself
    ctx = make_context(assessment, REGION, file_stem="kabupaten-pekalongan-33-26")
    assert ctx.file_name("roadmap", ".xlsx") == "peta_jalan_kabupaten-pekalongan-33-26.xlsx"


# --- Word structure --------------------------------------------------------------------------------


def test_headings_are_real_heading_styles_in_order(docs, assessment):
    headings = [p.text for p in docs["analysis"].paragraphs if p.style.name == "Heading 1"]
    expected = ["doc:h:profile", "doc:h:method", "doc:h:scores", "doc:h:readiness", "doc:h:cohort", "doc:h:change",
                "doc:h:dimensions", "doc:h:gaps", "doc:h:roadmap", "doc:h:appendix"]
    assert headings == [term(k) for k in expected]
    level2 = [p.text for p in docs["analysis"].paragraphs if p.style.name == "Heading 2"]
    for code in assessment.framework.dimensions:  # a section per dimension, and one in the appendix
        assert level2.count(assessment.framework.name(code)) == 2
    for kind, doc in docs.items():
        assert any(p.style.name == "Heading 1" for p in doc.paragraphs), kind
        heading_style = doc.styles["Heading 1"]
        assert heading_style.element.find(f".//{qn('w:outlineLvl')}") is not None or heading_style.builtin


def test_a_table_of_contents_field_linked_to_the_headings(docs):
    for kind in ("analysis", "quick_wins", "roadmap"):
        doc = docs[kind]
        body = doc.element.body
        instructions = [i.text for i in body.iter(qn("w:instrText"))]
        assert any(i.strip().startswith("TOC \\o") for i in instructions), kind
        anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
        bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
        assert anchors and anchors <= bookmarks, kind
        toc_entries = [p.text for p in doc.paragraphs if p.style.name.startswith("toc")]
        headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
        assert toc_entries == headings, kind
        assert doc.settings.element.find(qn("w:updateFields")) is not None  # Word fills in page numbers
    summary = docs["summary"].element.body
    assert not any("TOC" in (i.text or "") for i in summary.iter(qn("w:instrText")))  # two pages: no TOC


def test_tables_are_real_tables_with_repeating_header_rows(docs):
    n_tables = 0
    for kind, doc in docs.items():
        for table in doc.tables:
            n_tables += 1
            assert table.style.name == TABLE_STYLE, kind
            first = table.rows[0]._tr
            assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None, kind
            header = [c.text for c in table.rows[0].cells]
            assert all(h.strip() for h in header), (kind, header)
            assert len(table.rows) >= 2, (kind, header)
            for row in table.rows:
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # a row never breaks over pages
    assert n_tables > 40


def test_figures_at_print_resolution_with_captions_and_alt_text(docs):
    from PIL import Image

    for kind, doc in docs.items():
        items = body_items(doc)
        shapes = doc.inline_shapes
        assert len(shapes) >= 1, kind
        for shape in shapes:
            description = shape._inline.docPr.get("descr")
            assert description and len(description) > 40 and re.search(r"\d", description), kind
            blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
            image = doc.part.related_parts[blob].blob
            width_px = Image.open(__import__("io").BytesIO(image)).size[0]
            assert width_px / shape.width.inches >= 200, kind  # print resolution at the printed size
        captions = [p.text for p in items if not isinstance(p, docx.table.Table) and p.style.name == "Caption"
                    and p.text.startswith(term("doc:figure"))]
        assert [int(re.match(r"\w+ (\d+)\.", c).group(1)) for c in captions] == list(range(1, len(shapes) + 1))
        for k, item in enumerate(items):  # each picture is followed by its caption
            if not isinstance(item, docx.table.Table) and item._p.find(f".//{qn('w:drawing')}") is not None:
                assert items[k + 1].style.name == "Caption"
    assert len(docs["analysis"].inline_shapes) == 7


def test_no_empty_paragraph_no_placeholder_except_the_marked_workshop_prompts(docs):
    for kind, doc in docs.items():
        text = all_text(doc)
        assert not re.search(r"\{[a-z_]+\}", text), kind  # every cover and footer field filled
        assert "doc:" not in text, kind  # every word found in i18n
        for bad in ("nan", "NaN", "None", "<NA>", "inf"):
            assert not re.search(rf"\b{bad}\b", text), (kind, bad)
        for paragraph in all_paragraphs(doc):
            if not paragraph.text.strip():
                assert is_structural(paragraph), (kind, paragraph.style.name)
            if "[" in paragraph.text or "lokakarya]" in paragraph.text:
                assert paragraph.style.name == PROMPT_STYLE, (kind, paragraph.text)
        for paragraph in all_paragraphs(doc):
            if paragraph.style.name == PROMPT_STYLE:
                assert paragraph.text.startswith("[Diisi dalam lokakarya]")
    prompts = [p for p in all_paragraphs(docs["analysis"]) if p.style.name == PROMPT_STYLE]
    assert len(prompts) == 6 * 3 * 2  # opportunities and threats per aspect of each dimension


def test_cover_page_numbers_and_properties(docs, assessment):
    for kind, doc in docs.items():
        first = [p for p in doc.paragraphs if p.text.strip()][:3]
        assert first[1].style.name == "Title" and first[1].text == term(f"doc:title:{kind}")
        assert first[2].text == REGION
        footer = doc.sections[0].footer._element
        assert any((i.text or "").strip() == "PAGE" for i in footer.iter(qn("w:instrText")))
        assert doc.core_properties.language == "id-ID"
        assert REGION in doc.core_properties.title
        assert doc.sections[0].different_first_page_header_footer == (kind != "summary")
        text = all_text(doc)
        assert "17 September 2024" in text
        assert "DATA SINTETIS" in text  # the sample data are synthetic
        assert "33.26" in text or "region_code" not in assessment.scores.regions.columns


# --- the workbook's numbers ----------------------------------------------------------------------


def test_index_and_dimension_scores_equal_the_workbook(docs, assessment):
    sheet = dimension_sheet(assessment.scores, assessment.cycle, "id").frame
    mine = sheet[sheet["region"] == REGION].iloc[0]
    fw = assessment.framework
    codes = [fw.root, *fw.dimensions]
    labels = [term("index"), *(fw.name(c) for c in fw.dimensions)]
    table = tables_by_caption(docs["analysis"])[f"Indeks dan skor dimensi, siklus {assessment.cycle}"]
    rows = {r[0]: r for r in table_rows(table)[1:]}
    for code, label in zip(codes, labels, strict=True):
        column = term("index") if code == fw.root else fw.name(code)
        assert rows[label][1] == number(mine[column]), label
    assert rows[term("index")][2] == mine["maturity"]
    assert rows[term("index")][3] == str(int(mine["rank"]))
    summary = tables_by_caption(docs["summary"])[term("doc:summary_table")]
    assert [r[1] for r in table_rows(summary)[1:]] == [
        number(mine[term("index") if c == fw.root else fw.name(c)]) for c in codes]
    text = all_text(docs["summary"])
    assert f"adalah {number(mine[term('index')])} dari 100 (tingkat {mine['maturity']}), peringkat {int(mine['rank'])}" in text


def test_gaps_and_top_indicators_equal_the_gap_sheet(docs, assessment):
    sheet = gap_sheet_frame(assessment.gaps, "id")
    mine = sheet[sheet[term("region")] == REGION].set_index(term("code"))
    fw = assessment.framework
    tables = tables_by_caption(docs["analysis"])
    rows = {r[0]: r for r in table_rows(tables[term("doc:gap_table")])[1:]}
    for code in [fw.root, *fw.dimensions]:
        label = term("index") if code == fw.root else fw.name(code)
        row = mine.loc[code]
        assert rows[label][1:5] == [number(row[term("current")]), number(row[term("target")]),
                                    number(row[term("gap")]), str(int(row[term("target_year")]))]
        assert rows[label][5].lstrip("+") == number(row[term("index_points")], 2)
    top = table_rows(next(t for c, t in tables.items() if c.endswith("indikator yang paling menaikkan indeks")))[1:]
    assert len(top) == 10
    for line in top:
        rank, code = int(line[0]), line[1].split(" ")[0]
        row = mine.loc[code]
        assert int(row[term("rank")]) == rank
        assert line[3] == f"{number(row[term('current')])} → {number(row[term('target')])}"
        assert line[4] == "+" + number(row[term("index_points")], 2)
        assert line[5] == row[term("priority")] and line[6] == row[term("horizon")]
    # the appendix: every indicator's score, target and gap
    seen = 0
    for code in fw.dimensions:
        table = tables[f"Indikator {fw.name(code)}"]
        for line in table_rows(table)[1:]:
            row = mine.loc[line[0]]
            assert line[4:7] == [number(row[term("current")]), number(row[term("target")]), number(row[term("gap")])]
            seen += 1
    assert seen == len(fw.indicators)


def test_readiness_matrix_and_quick_wins_equal_the_analysis(docs, assessment):
    readiness = assessment.readiness
    mine = readiness[readiness["region"] == REGION].set_index(["dimension", "aspect"])["score"]
    fw = assessment.framework
    table = tables_by_caption(docs["analysis"])[term("doc:readiness_table")]
    lines = table_rows(table)
    aspects = ["Struktur", "Infrastruktur", "Suprastruktur"]
    assert lines[0][1:4] == aspects
    for line, code in zip(lines[1:], fw.dimensions, strict=True):
        assert line[1:4] == [number(mine[(code, a)]) for a in aspects]
        weakest = min(aspects, key=lambda a: mine[(code, a)])
        assert line[4] == weakest
    pri = assessment.gaps.priorities
    quick = pri[(pri["region"] == REGION) & (pri["priority"] == "quick_win")]
    table = tables_by_caption(docs["quick_wins"])[f"Quick win {REGION}"]
    lines = table_rows(table)[1:]
    codes = [line[0].split(" ")[0] for line in lines]
    assert sorted(codes) == sorted(quick["code"])
    points = dict(zip(quick["code"], quick["index_points"], strict=True))
    for code, line in zip(codes, lines, strict=True):
        assert line[4] == "+" + number(points[code], 2)
    blocks = [p.text for p in docs["quick_wins"].paragraphs if p.style.name == "Heading 2"]
    assert [b.split(" ")[0] for b in blocks] == codes  # one block each, same order


def test_numbers_are_written_the_indonesian_way(docs):
    text = all_text(docs["summary"])
    assert re.search(r"\b\d+,\d\b", text)  # decimal comma
    assert not re.search(r"\b\d+\.\d\b(?!\d)", text.replace("33.26", ""))  # no decimal point
    assert "2.024" not in all_text(docs["analysis"])  # years are not quantities


# --- words ---------------------------------------------------------------------------------------


def test_indonesian_by_default(docs):
    for kind, doc in docs.items():
        words = words_of(doc)
        assert not words & ENGLISH, (kind, words & ENGLISH)


@pytest.mark.slow
def test_english_with_lang_en(written_en, assessment):
    assert [p.name for p in written_en][0] == "readiness_analysis_kabupaten-pekalongan.docx"
    for path in written_en[:4]:
        doc = docx.Document(path)
        text = all_text(doc)
        words = words_of(doc)
        assert not words & INDONESIAN, (path.name, words & INDONESIAN)
        assert doc.core_properties.language == "en-GB"
        assert "[To fill in at the workshop]" in text or "analysis" not in path.name
    summary = all_text(docx.Document(written_en[2]))
    index = assessment.index_scores()[REGION]
    assert format_number(index, 1, "en") in summary and "Executive Summary" in summary


# --- the roadmap -----------------------------------------------------------------------------------


def test_target_paths_run_straight_to_the_target_and_hold(assessment):
    facts = region_facts(assessment, REGION)
    paths = target_paths(facts)
    assert list(paths["year"]) == list(range(assessment.cycle, assessment.cycle + 11))
    assert list(paths["horizon"][:3]) == ["baseline", "short", "medium"] and paths["horizon"].iloc[-1] == "long"
    for code, row in facts.dimensions.iterrows():
        path = paths[code].to_numpy()
        assert path[0] == pytest.approx(row["score"])
        at = int(row["target_year"]) - assessment.cycle
        assert path[at] == pytest.approx(max(row["target"], row["score"]))
        assert np.all(np.diff(path) >= -1e-9) and np.allclose(path[at:], path[at])


def test_roadmap_workbook_for_the_team(written, assessment):
    from openpyxl import load_workbook

    book = load_workbook(written[-1], read_only=True)
    assert book.sheetnames[:2] == [term("doc:sheet:paths"), term("doc:sheet:schedule")]
    paths = list(book[term("doc:sheet:paths")].values)
    assert len(paths) == 1 + 11
    header = list(paths[0])
    facts = region_facts(assessment, REGION)
    first = dict(zip(header, paths[1], strict=True))
    assert first[term("doc:col:year")] == assessment.cycle
    assert first[term("index")] == pytest.approx(round(facts.index["score"], 2))
    schedule = list(book[term("doc:sheet:schedule")].values)
    header = list(schedule[0])
    n_scheduled = int(facts.indicators["horizon"].isin(["short", "medium", "long"]).sum())
    assert len(schedule) - 1 == n_scheduled
    for column in ("doc:col:programme", "doc:col:owner", "doc:col:notes"):
        j = header.index(term(column))
        assert all(row[j] in (None, "") for row in schedule[1:])  # left for the team
    short = [r for r in schedule[1:] if r[header.index(term("horizon"))] == "jangka pendek"]
    assert {r[header.index(term("doc:col:start_year"))] for r in short} == {assessment.cycle + 1}


# --- the machinery ---------------------------------------------------------------------------------


def test_the_same_document_gives_the_same_bytes(assessment, tmp_path):
    figures = draw_figures(assessment, REGION, "id", ("05_radar",))
    paths = [write_document(build_executive_summary(assessment, REGION, date=DATE, figures=figures),
                            tmp_path / f"{k}.docx") for k in range(2)]
    assert paths[0].read_bytes() == paths[1].read_bytes()  # reruns of a cycle reproduce their outputs


def test_column_widths_fill_the_page_and_keep_short_cells_whole():
    widths = auto_widths(["Kode", "Indikator", "Skor → target"],
                         [["SG-SV-01", "SDM TIK bersertifikat dan anggaran layanan daring " * 3, "43,8 → 62,5"]], 16.0)
    assert sum(widths) == pytest.approx(16.0)
    assert widths[2] > 1.9 and widths[0] > 1.5 and widths[1] == max(widths)
    crowded = auto_widths(["Indikator", "Dimensi", "Aspek", "Skor → target", "Tambahan poin indeks", "Bukti dukung"],
                          [["SV-EN-03 Kebijakan konservasi energi dan energi terbarukan", "SV", "Suprastruktur",
                            "20,8 → 40,0", "+0,35", "0 dari 3 OPD"]], 16.0)
    assert sum(crowded) == pytest.approx(16.0) and crowded[0] >= 4.5  # the text column is not squeezed


@pytest.mark.slow
def test_a_custom_template_keeps_its_styles_cover_and_footer(assessment, tmp_path):
    from docx.shared import Pt, RGBColor

    template = docx.Document()
    template.styles["Normal"].font.name = "Times New Roman"
    template.styles["Normal"].font.size = Pt(12)
    template.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    template.add_paragraph("PEMERINTAH KABUPATEN PEKALONGAN")
    template.add_paragraph("{title}")
    template.add_paragraph("{region}, {date}")
    template.add_paragraph("{note}")
    template.sections[0].footer.paragraphs[0].text = "Dinas Komunikasi dan Informatika"
    path = tmp_path / "kantor.docx"
    template.save(path)
    figures = draw_figures(assessment, REGION, "id", ("10_priority",))
    doc = build_quick_win_profile(assessment, REGION, template=path, date=DATE, figures=figures, synthetic=False)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["PEMERINTAH KABUPATEN PEKALONGAN", term("doc:title:quick_wins"), f"{REGION}, 17 September 2024"]
    assert "{note}" not in "\n".join(texts)  # an empty field drops its paragraph
    footer = doc.sections[0].footer
    assert footer.paragraphs[0].text == "Dinas Komunikasi dan Informatika"
    assert any((i.text or "").strip() == "PAGE" for i in footer._element.iter(qn("w:instrText")))
    assert any(p.style.name == "Caption" for p in doc.paragraphs)  # styles the template lacked are added
    # a template without fields keeps its body as the cover and gets the title block below it
    plain = docx.Document()
    plain.add_paragraph("KOP SURAT DINAS")
    plain.save(tmp_path / "plain.docx")
    doc = build_quick_win_profile(assessment, REGION, template=tmp_path / "plain.docx", date=DATE, figures=figures)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "KOP SURAT DINAS" and term("doc:title:quick_wins") in texts[1:4]


@pytest.mark.slow
def test_cli_end_to_end_on_the_sample_and_on_a_saved_assessment(assessment, tmp_path, capsys):
    from smartcity_analysis.cli.main import main

    out = tmp_path / "out"
    assert main(["documents", str(ROOT / "data" / "raw"), "--region", "Kab. Pekalongan", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed][0] == "analisis_kesiapan_kabupaten-pekalongan.docx"
    assert len(list(out.glob("*.docx"))) == 4 and len(list(out.glob("*.xlsx"))) == 1
    saved = assessment.save(tmp_path / "assessment")
    assert main(["documents", str(saved), "--region", REGION, "--lang", "en", "-o", str(tmp_path / "en")]) == 0
    assert (tmp_path / "en" / "executive_summary_kabupaten-pekalongan.docx").is_file()
    assert main(["documents", str(saved), "--region", "Kota Atlantis", "-o", str(tmp_path / "x")]) == 1
    assert "SC403" in capsys.readouterr().err
    assert main(["documents", str(saved), "--region", REGION, "--template", str(tmp_path / "none.docx"),
                 "-o", str(tmp_path / "x")]) == 1
    assert "SC101" in capsys.readouterr().err


def _soffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_documents_render_and_the_executive_summary_fits_two_pages(written, tmp_path):
    profile = tmp_path / "profile"  # a private LibreOffice profile: runs in parallel do not collide
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, written[:4])], check=True, capture_output=True, timeout=300)
    pages = {}
    for path in written[:4]:
        pdf = (tmp_path / path.name).with_suffix(".pdf")
        pages[path.name] = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages["ringkasan_eksekutif_kabupaten-pekalongan.docx"] <= 2
    assert all(n >= 2 for n in pages.values()), pages
