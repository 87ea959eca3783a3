"""Bimtek decks: titled slides on real layouts, alt text, findings from the numbers, office templates."""

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Inches

from smartcity_analysis.analysis import compare
from smartcity_analysis.analysis.gaps import gap_analysis
from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import FileError
from smartcity_analysis.i18n import format_number, term
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.model.scoring import score
from smartcity_analysis.presentation import deck as deck_module
from smartcity_analysis.presentation import narrative
from smartcity_analysis.presentation.charts import SLIDE_BODY_SIZE
from smartcity_analysis.presentation.deck import (
    CHART_BOX,
    SLIDES,
    build_deck,
    default_template_path,
    open_template,
    pick_layouts,
    write_deck,
)
from smartcity_analysis.presentation.narrative import findings

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
REGION = "Kabupaten Pekalongan"
DATE = dt.date(2025, 3, 4)
CAVEAT_ID = "Perbandingan dengan kurang dari lima daerah: peringkat dan kuartil kurang bermakna"


@pytest.fixture(scope="module")
def answers():
    return load_answers(RAW / "templates")


@pytest.fixture(scope="module")
def cohort(answers):
    scores = score(answers)
    return scores, gap_analysis(scores)


def subset(answers, regions, cycles=None):
    """A smaller cohort of the sample: these regions (and cycles) only."""
    table = answers.table[answers.table["region"].isin(regions)]
    if cycles is not None:
        table = table[table["cycle"].isin(cycles)]
    scores = score(dataclasses.replace(answers, table=table))
    return scores, gap_analysis(scores)


@pytest.fixture(scope="module")
def decks(cohort, tmp_path_factory):
    """The sample deck of Kabupaten Pekalongan in both languages, as saved and read back."""
    scores, gaps = cohort
    folder = tmp_path_factory.mktemp("decks")
    out = {}
    for lang in ("id", "en"):
        prs = build_deck(scores, gaps, "Kab. Pekalongan", lang=lang, date=DATE, synthetic=True)
        out[lang] = Presentation(write_deck(prs, folder / f"deck_{lang}.pptx"))
    return out


def office_template(path: Path) -> Path:
    """An office's template: python-pptx's stock 4:3 Office master with a logo on it, and a slide."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Slide lama kantor"
    logo = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(8.6), Inches(0.1), Inches(1.2), Inches(0.5))
    logo.name = "Logo Kantor"
    logo.fill.solid()
    logo.fill.fore_color.rgb = RGBColor(0x8B, 0x00, 0x00)
    prs.slide_master.shapes._spTree.append(logo.element)  # moved onto the master
    prs.save(path)
    return path


def titles(prs) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]


def alt_texts(slide) -> list[str | None]:
    """``descr`` of every picture, chart and table on a slide."""
    return [shape.element.find(f".//{qn('p:cNvPr')}").get("descr") for shape in slide.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or shape.has_chart or shape.has_table]


def finding_paragraphs(slide) -> list[str]:
    """The paragraphs of the slide's body placeholder (the finding, then its caveats)."""
    bodies = [s for s in slide.placeholders
              if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)]
    return [p.text for p in bodies[0].text_frame.paragraphs]


# --- the findings ------------------------------------------------------------------------------


def test_findings_are_written_from_the_numbers(cohort):
    scores, gaps = cohort
    f = findings(scores, gaps, REGION)
    dims = scores.level("dimension", 2024).loc[REGION]
    weakest = dims.idxmin()
    name = scores.framework.table.at[weakest, "name_en"]
    value = format_number(dims[weakest], 0)
    assert f["radar"].finding.startswith(f"{name} terendah: {value} dari 100")
    index = scores.index(2024)
    rank = int(index.rank(ascending=False, method="min")[REGION])
    assert f["ranking"].finding.startswith(f"{REGION} peringkat {rank} dari 10: indeks "
                                           f"{format_number(index[REGION], 1)} dari 100")
    assert "median kohort" in f["radar"].finding
    en = findings(scores, gaps, REGION, lang="en")
    assert en["radar"].finding.startswith(f"{name} lowest: {format_number(dims[weakest], 0, 'en')} of 100")
    assert f"index {format_number(index[REGION], 1, 'en')} of 100" in en["ranking"].finding
    # Speaker notes carry the figures of every dimension.
    for code in scores.framework.dimensions:
        assert f"{scores.framework.name(code, 'id')}: {format_number(dims[code], 1)}" in f["radar"].notes
    # No caveat on a cohort of ten.
    assert all(not finding.caveats for finding in f.values())


def test_finding_numbers_equal_the_scores(cohort):
    scores, gaps = cohort
    f = findings(scores, gaps, REGION)
    fw = scores.framework
    dims = scores.level("dimension", 2024).loc[REGION]
    strongest, weakest = dims.idxmax(), dims.idxmin()
    assert f"{fw.table.at[strongest, 'name_en']} ({format_number(dims[strongest], 1)}," in f["heatmap"].finding
    assert f"{fw.table.at[weakest, 'name_en']} ({format_number(dims[weakest], 1)}," in f["heatmap"].finding
    median = scores.level("dimension", 2024)[weakest].median()
    distance = format_number(abs(dims[weakest] - median), 0)
    assert f", {distance} poin di" in f["radar"].finding
    g = gaps.gaps[(gaps.gaps["region"] == REGION) & (gaps.gaps["level"] == "dimension")]
    top = g.sort_values("gap", ascending=False).iloc[0]
    assert f["gap_dimension"].finding == (f"Kesenjangan terbesar: {fw.name(top['code'], 'id')}, "
                                          f"{format_number(top['gap'], 1)} poin menuju target "
                                          f"{format_number(top['target'], 1)}")
    first = gaps.top(10, REGION).sort_values("rank").iloc[0]
    assert f"hingga +{format_number(first['index_points'], 2)} poin: {fw.name(first['code'], 'id')}" \
        in f["pareto"].finding


def test_summary_sentence_lives_in_the_narrative(cohort):
    scores, _ = cohort
    line = narrative.summary_sentence(scores, REGION)
    index = scores.index(2024)[REGION]
    assert line.startswith(f"{REGION}: indeks {format_number(index, 1)}, peringkat ")
    assert line.endswith("poin sejak 2023")
    assert not hasattr(compare, "summary_sentence")  # analysis does not write sentences


def test_no_language_branches_in_the_deck_or_the_narrative():
    """Both languages come from the i18n templates: no ``if lang == "en"`` in either module."""
    pattern = re.compile(r"""lang\s*[!=]=\s*['"](en|id)['"]""")
    for module in (deck_module, narrative):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not pattern.search(source), module.__name__
        assert "WORDS" not in source, module.__name__


# --- the deck ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deck_slides_size_titles_and_notes(decks, lang):
    deck = decks[lang]
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)
    slides = list(deck.slides)
    assert len(slides) == 13  # title, 11 charts, closing
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Kabupaten Pekalongan" in first and "2024" in first
    assert ("4 Maret 2025" if lang == "id" else "4 March 2025") in first
    assert ("DATA SINTETIS" if lang == "id" else "SYNTHETIC DATA") in first
    for slide in slides[1:-1]:
        paragraphs = finding_paragraphs(slide)
        assert paragraphs[0], "every chart slide has a one-line finding"
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text
        assert any(s.has_chart or s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
        footer = [s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
        assert footer and "2024" in footer[0].text_frame.text
    native = [s.chart for slide in slides for s in slide.shapes if s.has_chart]
    assert len(native) == 4  # ranking, radar, gap bars, pareto
    ranking = native[0]
    values = list(ranking.plots[0].series[0].values)
    assert values == sorted(values) and len(values) == 10
    radar = native[1]
    assert radar.chart_type is not None and len(list(radar.plots[0].series)) == 3
    # The other charts are pictures drawn at the size they are shown: the chart box, at 200 dpi,
    # without a title of their own (the slide has it).
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 7
    assert CHART_BOX[2:] == SLIDE_BODY_SIZE  # the charts' default body is the deck's chart box
    for picture in pictures:
        assert (picture.width, picture.height) == (Inches(CHART_BOX[2]), Inches(CHART_BOX[3]))
        assert picture.image.size == (round(CHART_BOX[2] * 200), round(CHART_BOX[3] * 200))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_slide_is_titled_in_a_placeholder(decks, lang):
    """PowerPoint's outline and accessibility checker read the title placeholders: every slide has
    one with text, and no text sits in a free text box."""
    deck = decks[lang]
    for slide in deck.slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text.strip()
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert all(shape.is_placeholder for shape in slide.shapes if shape.has_text_frame)
    first = list(deck.slides)[0]
    assert first.shapes.title.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE
    assert any(s.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE for s in first.placeholders)
    layouts = {slide.slide_layout.name for slide in deck.slides}
    assert layouts == {"Judul", "Judul dan Grafik"}


def test_the_outline_reads_in_the_deck_language(decks):
    expected = {lang: [REGION] + [term(f"deck:{key}", lang) for key, _, _ in SLIDES] + [term("deck:closing", lang)]
                for lang in ("id", "en")}
    assert titles(decks["id"]) == expected["id"]
    assert titles(decks["en"]) == expected["en"]
    assert titles(decks["id"])[1] == "Peringkat indeks kesiapan"
    assert titles(decks["en"])[1] == "Readiness index ranking"
    assert titles(decks["id"])[-1] == "Quick win teratas" and titles(decks["en"])[-1] == "Top quick wins"
    # The text is tagged with its language (spell check, screen readers) and so is the file.
    for lang, tag in (("id", "id-ID"), ("en", "en-US")):
        deck = decks[lang]
        assert deck.core_properties.language == tag
        assert deck.core_properties.title.endswith(REGION)
        run_tags = {r.get("lang") for slide in deck.slides for r in slide.element.iter(qn("a:rPr"))}
        assert run_tags == {tag}


def test_pictures_charts_and_tables_have_alt_text(decks):
    for lang, deck in decks.items():
        slides = list(deck.slides)
        for slide in slides[1:]:
            texts = alt_texts(slide)
            assert texts, slide.shapes.title.text
            for text in texts:
                assert text and slide.shapes.title.text in text, (lang, slide.shapes.title.text, text)
        closing = slides[-1]
        assert any(s.has_table for s in closing.shapes)
        table = next(s.table for s in closing.shapes if s.has_table)
        assert table.first_row  # a header row


def test_native_chart_numbers_are_the_scores(cohort, decks):
    scores, gaps = cohort
    slides = list(decks["id"].slides)
    ranking = next(s.chart for s in slides[1].shapes if s.has_chart)
    index = scores.index(2024).dropna().sort_values()
    assert list(ranking.plots[0].categories) == list(index.index)
    assert list(ranking.plots[0].series[0].values) == [round(float(v), 2) for v in index]
    assert ranking.plots[0].data_labels.number_format.startswith("[$-421]")  # decimal comma
    radar = next(s.chart for s in slides[5].shapes if s.has_chart)
    own = scores.level("dimension", 2024).loc[REGION]
    assert list(radar.plots[0].series[0].values) == [round(float(v), 2) for v in own]


def test_deck_reuses_slide_body_figures_only(cohort, monkeypatch):
    import smartcity_analysis.presentation.charts as charts

    scores, gaps = cohort
    asked = []
    real_chart_set = charts.chart_set

    def chart_set(*args, **kwargs):
        asked.extend(kwargs.get("keys") or [])
        return real_chart_set(*args, **kwargs)

    with charts.slide_body(CHART_BOX[2:]):
        body = real_chart_set(scores, gaps, region=REGION, keys=["11_trend"])
    standalone = real_chart_set(scores, gaps, region=REGION, keys=["02_heatmap"])
    monkeypatch.setattr(charts, "chart_set", chart_set)
    build_deck(scores, gaps, REGION, figures={**body, **standalone})
    assert "11_trend" not in asked  # drawn as a slide body already: reused
    assert "02_heatmap" in asked  # a full slide with its own title: drawn again as a body
    assert body["11_trend"].axes  # the caller's figure is left for the caller to close


# --- small cohorts -----------------------------------------------------------------------------


def test_small_cohort_findings_carry_the_caveat(answers):
    scores, gaps = subset(answers, [REGION, "Kota Solok", "Kabupaten Bangli"])
    f = findings(scores, gaps, REGION)
    for key in narrative.COMPARISON_SLIDES:
        assert f[key].caveats == (CAVEAT_ID,), key
        assert CAVEAT_ID in f[key].notes
    for key in ("readiness", "gap_dimension", "pareto", "priority", "trend"):
        assert not f[key].caveats, key
    assert "peringkat 1 dari 3" in f["ranking"].finding
    en = findings(scores, gaps, REGION, lang="en")
    assert en["ranking"].caveats == ("Comparison with fewer than five regions: ranks and quartiles mean little",)


def test_one_region_deck_says_why_charts_are_left_out(answers, tmp_path):
    scores, gaps = subset(answers, [REGION], cycles=[2024])
    deck = Presentation(write_deck(build_deck(scores, gaps, REGION, date=DATE), tmp_path / "one.pptx"))
    slides = {slide.shapes.title.text: slide for slide in deck.slides}
    for key in ("ranking", "radar_grid", "rank_changes", "trend"):
        assert term(f"deck:{key}", "id") not in slides, key
    left_out = finding_paragraphs(slides["Grafik yang tidak ditampilkan"])
    assert left_out[0] == ("Peringkat indeks kesiapan: hanya satu daerah dalam kohort, tidak ada yang "
                           "dibandingkan")
    assert any(line.startswith("Tren skor dimensi: belum ada siklus sebelum 2024") for line in left_out)
    # The comparison slides that stay carry the caveat under their finding.
    heatmap = finding_paragraphs(slides["Tingkat kematangan per dimensi"])
    assert heatmap[1:] == [CAVEAT_ID]
    radar = slides["Skor per dimensi dan target"]  # no cohort median to compare with
    own = scores.level("dimension", 2024).loc[REGION]
    weakest = scores.framework.table.at[own.idxmin(), "name_en"]
    assert finding_paragraphs(radar)[0] == f"{weakest} terendah: {format_number(own.min(), 0)} dari 100"
    chart = next(s.chart for s in radar.shapes if s.has_chart)
    assert [s.name for s in chart.plots[0].series] == [REGION, "Target"]
    assert "Kesenjangan per dimensi" in slides and not finding_paragraphs(slides["Kesenjangan per dimensi"])[1:]


# --- templates ---------------------------------------------------------------------------------


def test_the_shipped_template_is_clean_and_16_9():
    prs = Presentation(default_template_path())
    assert len(prs.slides) == 0
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert [layout.name for layout in prs.slide_layouts] == [
        "Judul", "Judul dan Isi", "Judul dan Grafik", "Hanya Judul", "Kosong"]
    layouts = pick_layouts(prs)
    assert layouts.title.name == "Judul" and layouts.chart.layout.name == "Judul dan Grafik"
    assert layouts.text.name == "Judul dan Isi"
    box = layouts.chart.chart_box
    assert (box.left, box.top, box.width, box.height) == tuple(int(Inches(v)) for v in CHART_BOX)
    # Theme colours: the charts' Okabe-Ito palette.
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME).blob.decode()
    for colour in ("0072B2", "E69F00", "009E73", "D55E00", "CC79A7", "56B4E9"):
        assert f'val="{colour}"' in theme


def test_layouts_are_chosen_by_placeholders_not_names(tmp_path):
    prs = Presentation(default_template_path())
    for i, layout in enumerate(prs.slide_layouts):
        layout._element.cSld.set("name", f"Tata letak {i}")
    # Put the chart layout first: the choice follows the placeholders, not the order or names.
    ids = prs.slide_master._element.sldLayoutIdLst
    ids.insert(0, ids[2])
    path = tmp_path / "renamed.pptx"
    prs.save(path)
    layouts = pick_layouts(open_template(path))
    assert layouts.title.name == "Tata letak 0"
    assert layouts.chart.layout.name == "Tata letak 2" and layouts.chart.finding_idx is not None
    assert layouts.text.name == "Tata letak 1"


def test_deck_on_an_office_template_keeps_its_master(cohort, tmp_path):
    scores, gaps = cohort
    template = office_template(tmp_path / "kantor.pptx")
    names = [layout.name for layout in Presentation(template).slide_layouts]
    deck = Presentation(write_deck(build_deck(scores, gaps, REGION, date=DATE, template=template),
                                   tmp_path / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Inches(10), Inches(7.5))  # the office's 4:3
    assert "Logo Kantor" in [shape.name for shape in deck.slide_master.shapes]
    assert [layout.name for layout in deck.slide_layouts] == names
    slides = list(deck.slides)
    assert len(slides) == 13 and "Slide lama kantor" not in titles(deck)  # its slides removed
    assert all(slide.shapes.title is not None and slide.shapes.title.text for slide in slides)
    assert slides[0].slide_layout.name == "Title Slide"
    assert {slide.slide_layout.name for slide in slides[1:]} == {"Title and Content"}
    for slide in slides[1:]:
        frame = slide.shapes.title
        assert all(shape.top >= frame.top + frame.height for shape in slide.shapes
                   if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.PICTURE or shape.has_table)
        assert alt_texts(slide) and all(alt_texts(slide))
        assert finding_paragraphs(slide)[0]
        for shape in slide.shapes:  # everything on the slide
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height


def test_potx_and_unusable_templates(tmp_path):
    potx = tmp_path / "kantor.potx"
    with zipfile.ZipFile(default_template_path()) as source, zipfile.ZipFile(potx, "w") as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentation.main+xml", b"template.main+xml")
            target.writestr(item, blob)
    assert pick_layouts(open_template(potx)).chart.layout.name == "Judul dan Grafik"
    with pytest.raises(FileError) as missing:
        open_template(tmp_path / "tidak-ada.pptx")
    assert missing.value.problems[0].code == "SC101"
    broken = tmp_path / "rusak.pptx"
    broken.write_bytes(b"bukan powerpoint")
    with pytest.raises(FileError) as bad:
        open_template(broken)
    assert bad.value.problems[0].code == "SC102"
    untitled = Presentation()
    for layout in list(untitled.slide_layouts):
        if layout.name != "Blank":
            untitled.slide_layouts.remove(layout)
    untitled.save(tmp_path / "tanpa-judul.pptx")
    with pytest.raises(FileError) as no_title:
        open_template(tmp_path / "tanpa-judul.pptx")
    assert "placeholder judul" in no_title.value.problems[0].message("id")


def test_deck_command(tmp_path):
    out = tmp_path / "pekalongan.pptx"
    rc = main(["deck", str(RAW / "templates"), "--region", "Kab. Pekalongan", "-o", str(out)])
    assert rc == 0 and out.exists()
    assert main(["deck", str(RAW / "templates"), "--region", "Kota Atlantis", "-o", str(out)]) == 1


def test_deck_command_on_an_office_template(tmp_path, capsys):
    template = office_template(tmp_path / "kantor.pptx")
    out = tmp_path / "pekalongan.pptx"
    rc = main(["deck", str(RAW / "templates"), "--region", "Kab. Pekalongan", "--template", str(template),
               "-o", str(out)])
    assert rc == 0
    assert "Logo Kantor" in [shape.name for shape in Presentation(out).slide_master.shapes]
    missing = tmp_path / "tidak-ada.pptx"
    assert main(["deck", str(RAW / "templates"), "--region", "Kab. Pekalongan", "--template", str(missing),
                 "-o", str(out)]) == 1
    assert "SC101" in capsys.readouterr().err


def test_template_script_rebuilds_the_shipped_template(tmp_path):
    """``scripts/make_pptx_template.py`` makes the template the package ships (same layouts and
    placeholders), so it can be rebuilt."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pptx_template", ROOT / "scripts" / "make_pptx_template.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["-o", str(tmp_path / "deck.pptx")]) == 0

    def shape(path):
        prs = Presentation(path)
        return [(layout.name, [(ph.placeholder_format.idx, ph.placeholder_format.type, ph.left, ph.top, ph.width,
                                ph.height) for ph in layout.placeholders]) for layout in prs.slide_layouts]

    assert shape(tmp_path / "deck.pptx") == shape(default_template_path())
