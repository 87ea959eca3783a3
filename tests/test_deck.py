"""Bimtek decks: slide count, size, titles, findings from the numbers, native charts."""

import datetime as dt

import pytest
from pptx import Presentation
from pptx.util import Inches

from smartcity_analysis.analysis.gaps import gap_analysis
from smartcity_analysis.cli.main import main
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.model.scoring import score
from smartcity_analysis.presentation.charts import SLIDE_BODY_SIZE
from smartcity_analysis.presentation.deck import CHART_BOX, build_deck, findings, write_deck


@pytest.fixture(scope="module")
def cohort(sample_raw_module):
    scores = score(load_answers(sample_raw_module / "templates"))
    return scores, gap_analysis(scores)


@pytest.fixture(scope="module")
def sample_raw_module():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "data" / "raw"


def test_findings_are_written_from_the_numbers(cohort):
    scores, gaps = cohort
    f = findings(scores, gaps, "Kabupaten Pekalongan")
    dims = scores.level("dimension", 2024).loc["Kabupaten Pekalongan"]
    weakest = dims.idxmin()
    name = scores.framework.table.at[weakest, "name_en"]
    value = round(dims[weakest])
    assert f["radar"].finding.startswith(f"{name} terendah: {value} dari 100")
    rank = int(scores.index(2024).rank(ascending=False, method="min")["Kabupaten Pekalongan"])
    assert f["ranking"].finding.startswith(f"Kabupaten Pekalongan peringkat {rank} dari 10")
    assert "median kohort" in f["radar"].finding
    en = findings(scores, gaps, "Kabupaten Pekalongan", lang="en")
    assert en["radar"].finding.startswith(f"{name} lowest: {value} of 100")
    # Speaker notes carry the figures of every dimension.
    for code in scores.framework.dimensions:
        assert scores.framework.name(code, "id") in f["radar"].notes


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deck_slides_size_titles_and_notes(cohort, tmp_path, lang):
    scores, gaps = cohort
    prs = build_deck(scores, gaps, "Kab. Pekalongan", lang=lang, date=dt.date(2025, 3, 4), synthetic=True)
    path = write_deck(prs, tmp_path / "deck.pptx")
    deck = Presentation(path)
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)
    slides = list(deck.slides)
    assert len(slides) == 13  # title, 11 charts, closing
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Kabupaten Pekalongan" in first and "2024" in first
    assert ("4 Maret 2025" if lang == "id" else "4 March 2025") in first
    assert ("DATA SINTETIS" if lang == "id" else "SYNTHETIC DATA") in first
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides[1:]]
    expected_first = "Peringkat indeks kesiapan" if lang == "id" else "Readiness index ranking"
    assert titles[0] == expected_first
    assert titles[-1] == ("Quick win teratas" if lang == "id" else "Top quick wins")
    for slide in slides[1:-1]:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert len(texts) >= 2 and texts[1], "every chart slide has a one-line finding"
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text
        assert any(s.has_chart or s.shape_type == 13 for s in slide.shapes)  # chart or picture
    native = [s.chart for slide in slides for s in slide.shapes if s.has_chart]
    assert len(native) == 4  # ranking, radar, gap bars, pareto
    ranking = native[0]
    values = list(ranking.plots[0].series[0].values)
    assert values == sorted(values) and len(values) == 10
    radar = native[1]
    assert radar.chart_type is not None and len(list(radar.plots[0].series)) == 3
    # The other charts are pictures drawn at the size they are shown: the chart box, at 200 dpi,
    # without a title of their own (the slide has it).
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 7
    assert CHART_BOX[2:] == SLIDE_BODY_SIZE  # the charts' default body is the deck's chart box
    for picture in pictures:
        assert (picture.width, picture.height) == (Inches(CHART_BOX[2]), Inches(CHART_BOX[3]))
        assert picture.image.size == (round(CHART_BOX[2] * 200), round(CHART_BOX[3] * 200))


def test_deck_reuses_slide_body_figures_only(cohort, monkeypatch):
    import smartcity_analysis.presentation.charts as charts

    scores, gaps = cohort
    region = "Kabupaten Pekalongan"
    asked = []
    real_chart_set = charts.chart_set

    def chart_set(*args, **kwargs):
        asked.extend(kwargs.get("keys") or [])
        return real_chart_set(*args, **kwargs)

    with charts.slide_body(CHART_BOX[2:]):
        body = real_chart_set(scores, gaps, region=region, keys=["11_trend"])
    standalone = real_chart_set(scores, gaps, region=region, keys=["02_heatmap"])
    monkeypatch.setattr(charts, "chart_set", chart_set)
    build_deck(scores, gaps, region, figures={**body, **standalone})
    assert "11_trend" not in asked  # drawn as a slide body already: reused
    assert "02_heatmap" in asked  # a full slide with its own title: drawn again as a body
    assert body["11_trend"].axes  # the caller's figure is left for the caller to close


def test_deck_command(tmp_path, sample_raw_module):
    out = tmp_path / "pekalongan.pptx"
    rc = main(["deck", str(sample_raw_module / "templates"), "--region", "Kab. Pekalongan", "-o", str(out)])
    assert rc == 0 and out.exists()
    assert main(["deck", str(sample_raw_module / "templates"), "--region", "Kota Atlantis", "-o", str(out)]) == 1
