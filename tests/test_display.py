"""Notebook display helpers: styled tables, problems as tables, the picker, answer tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from smartcity_analysis import load_answers, score
from smartcity_analysis.errors import DataError, Location, OptionError, Problem
from smartcity_analysis.presentation import display
from smartcity_analysis.presentation.charts.theme import maturity_colors
from smartcity_analysis.presentation.workbook import Sheet


def html_of(styler) -> str:
    return styler.to_html()


def cell_css(styler, column: str, row: int = 0) -> str:
    """The CSS a rendered cell gets (``#T_<uuid>_row<r>_col<c>`` rules)."""
    html = html_of(styler)
    col = list(styler.data.columns).index(column)
    rules = re.findall(r"#T_\w+?_row(\d+)_col(\d+)[^{]*\{([^}]*)\}", html)
    return ";".join(css for r, c, css in rules if int(r) == row and int(c) == col)


def cell_text(styler, column: str, row: int = 0) -> str:
    col = list(styler.data.columns).index(column)
    match = re.search(rf'id="T_\w+?_row{row}_col{col}"[^>]*>([^<]*)<', html_of(styler))
    return match.group(1).strip()


@pytest.fixture
def answers(tmp_path, framework):
    """Two regions, two OPD each, one cycle; Kota Solok's second OPD leaves every SG answer blank."""
    rows = []
    for region, level in (("Kabupaten Gianyar", 4), ("Kota Solok", 2)):
        for respondent in ("Bappeda", "Diskominfo"):
            for code in framework.indicators:
                blank = region == "Kota Solok" and respondent == "Diskominfo" and code.startswith("SG")
                rows.append({"cycle": 2024, "region": region, "respondent": respondent,
                             "indicator": code, "value": None if blank else level})
    path = tmp_path / "answers.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return load_answers(path, framework)


# --- styled tables -------------------------------------------------------------------------------


def test_numbers_as_the_reader_writes_them():
    frame = pd.DataFrame({"region": ["Kota Solok"], "score": [1234.5], "target_year": [2029],
                          "share_of_index_gap": [0.123], "score_change": [2.25], "rank": [3.0]})
    kw = dict(percent=["share_of_index_gap"], signed=["score_change"])
    indonesian = display.styled_table(frame, lang="id", **kw)
    assert cell_text(indonesian, "score") == "1.234,5"
    assert cell_text(indonesian, "target_year") == "2029"  # a year, never "2.029"
    assert cell_text(indonesian, "share_of_index_gap") == "12,3%"
    assert cell_text(indonesian, "score_change") == "+2,2"
    assert cell_text(indonesian, "rank") == "3"
    english = display.styled_table(frame, lang="en", **kw)
    assert cell_text(english, "score") == "1,234.5"
    assert cell_text(english, "share_of_index_gap") == "12.3%"


def test_headers_and_words_follow_the_language(framework):
    frame = pd.DataFrame({"region": ["Kota Solok"], "SG": [50.0], "aspect": ["Struktur"],
                          "priority": ["quick_win"], "horizon": ["short"], "on_track": [False]})
    indonesian = html_of(display.styled_table(frame, lang="id", framework=framework))
    assert "Daerah" in indonesian and "Tata Kelola Pemerintahan (Smart Governance)" in indonesian
    assert "jangka pendek" in indonesian and ">tidak<" in indonesian
    english = html_of(display.styled_table(frame, lang="en", framework=framework))
    assert "Region" in english and "Smart Governance" in english and "Structure" in english
    assert "short term" in english and ">no<" in english and "quick_win" not in english


def test_score_cells_take_the_charts_maturity_colours():
    colors = maturity_colors()
    frame = pd.DataFrame({"score": [10.0, 30.0, 50.0, 70.0, 90.0, np.nan]})
    styler = display.styled_table(frame, scores=["score"], scale=(0.0, 100.0))
    for row, color in enumerate(colors):
        assert color.lower() in cell_css(styler, "score", row).lower()
    assert "background-color" not in cell_css(styler, "score", 5)
    assert cell_text(styler, "score", 5) == "-"


def test_a_sheet_brings_its_levels_and_maturity_level_is_hidden():
    sheet = Sheet(pd.DataFrame({"region": ["A", "B"], "maturity": ["Baik", "Kurang"]}),
                  {"maturity": np.array([3, 1])})
    styler = display.styled_table(sheet)
    assert maturity_colors()[2].lower() in cell_css(styler, "maturity", 0).lower()
    table = pd.DataFrame({"maturity": ["Baik"], "maturity_level": [3]})
    html = html_of(display.styled_table(table))
    assert maturity_colors()[2].lower() in html.lower()
    assert "Level kematangan" not in html  # the helper column is hidden


def test_highlight_alert_signed_and_bars():
    frame = pd.DataFrame({"region": ["A", "B"], "change": [1.5, -2.0], "gap": [3.0, 0.0],
                          "single_respondent": [True, False]})
    styler = display.styled_table(frame, signed=["change"], bars=["gap"], highlight="B",
                                  alert={"single_respondent": True})
    assert display.UP_COLOR.lower() in cell_css(styler, "change", 0).lower()
    assert display.DOWN_COLOR.lower() in cell_css(styler, "change", 1).lower()
    assert "bold" in cell_css(styler, "region", 1) and "bold" not in cell_css(styler, "region", 0)
    assert display.DOWN_COLOR.lower() in cell_css(styler, "single_respondent", 0).lower()
    assert display.DOWN_COLOR.lower() not in cell_css(styler, "single_respondent", 1).lower()
    assert "linear-gradient" in cell_css(styler, "gap", 0)


def test_maturity_legend_lists_the_bands():
    styler = display.maturity_legend((0.0, 100.0), lang="id")
    assert list(styler.data["maturity"]) == ["Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"]
    assert "62,5 - 80" in html_of(styler)


# --- problems ------------------------------------------------------------------------------------


def test_show_problems_locates_each_and_says_what_to_do():
    error = DataError([
        Problem.make("SC303", Location("pekalongan.xlsx", "Data", "D3"), value="3,5x", lo=1, hi=5),
        Problem.make("SC307", Location("solok.csv", row=7)),
    ])
    table = display.problem_table(error, "id")
    assert list(table["code"]) == ["SC303", "SC307"]
    assert list(table["cell"]) == ["D3", "7"]
    assert table.loc[0, "problem"] == "'3,5x' bukan angka dari 1 sampai 5"
    assert table["advice"].str.len().min() > 10
    html = html_of(display.show_problems(error, "en"))
    assert "2 problems found" in html and "is not a number from 1 to 5" in html and "What to do" in html


def test_show_problems_takes_loading_notes():
    notes = [Problem.make("SC106", Location("~$form.xlsx"), reason="lock file")]
    assert "1 catatan" in html_of(display.show_problems(notes))


# --- figures and the picker ----------------------------------------------------------------------


def small_figure(label: str = "") -> Figure:
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().set_title(label)
    return fig


def test_show_figure_outputs_a_png(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    display.show_figure(small_figure(), dpi=50)
    assert shown[0].format == "png" and shown[0].data[:4] == b"\x89PNG"


def test_picker_redraws_on_change_and_has_a_static_note():
    calls = []

    def draw(region, dimension):
        calls.append((region, dimension))
        return small_figure(f"{region} {dimension}")

    picker = display.chart_picker(draw, ["Kota Solok", "Kota Banjar"], {"SCI": "Indeks", "SG": "Governance"},
                                  region="Kota Banjar", lang="en", dpi=30)
    assert calls == [("Kota Banjar", "SCI")]
    region_box, dimension_box = picker.children[0].children
    chart = picker.children[1]
    first = chart.value
    dimension_box.value = "SG"
    region_box.value = "Kota Solok"
    assert calls[1:] == [("Kota Banjar", "SG"), ("Kota Solok", "SG")]
    assert chart.value != first and chart.value[:4] == b"\x89PNG"
    bundle = picker._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "open this notebook in JupyterLab" in bundle["text/html"]


# --- answers, cycle and region -------------------------------------------------------------------


def test_respondent_counts(answers):
    counts = display.respondent_counts(answers)
    assert list(counts.columns) == ["region", "2024"]
    assert counts.set_index("region")["2024"].to_dict() == {"Kabupaten Gianyar": 2, "Kota Solok": 2}


def test_missing_shares(answers, framework):
    shares = display.missing_shares(answers).set_index("region")
    sg_share = sum(1 for c in framework.indicators if c.startswith("SG")) / len(framework.indicators)
    assert shares.loc["Kota Solok", "SG"] == pytest.approx(0.5)
    assert shares.loc["Kota Solok", framework.root] == pytest.approx(sg_share / 2)
    assert (shares.loc["Kabupaten Gianyar"] == 0).all()
    assert shares.loc["Kota Solok", "SB"] == 0


def test_pick_cycle_and_region(answers):
    scores = score(answers)
    assert display.pick_cycle(scores, None) == 2024
    assert display.pick_region(scores, "Kab. Gianyar") == "Kabupaten Gianyar"
    assert display.pick_region(scores, None) == "Kabupaten Gianyar"  # best index
    with pytest.raises(OptionError) as error:
        display.pick_cycle(scores, 2019)
    assert error.value.codes == ["SC402"]
    with pytest.raises(OptionError) as error:
        display.pick_region(scores, "Kota Bandung")
    assert error.value.codes == ["SC403"]


def test_synthetic_data_is_said(tmp_path, sample_raw):
    assert display.chart_footnote(sample_raw, 2024, "id") == "Sumber: Asesmen kesiapan smart city 2024; data sintetis"
    assert "synthetic" in display.chart_footnote(sample_raw, 2024, "en")
    assert "Data sintetis" in display.data_note(sample_raw).data
    assert display.data_note(tmp_path).data == ""
    assert display.chart_footnote(tmp_path, 2024, "id") == "Sumber: Asesmen kesiapan smart city 2024"


def test_a_table_of_every_region_shows_its_first_rows_and_the_region():
    """National tables in the report: the first rows and the region's own, and where the rest is."""
    import pandas as pd

    frame = pd.DataFrame({"region": [f"Kabupaten {i:03d}" for i in range(100)],
                          "score": [100 - i * 0.5 for i in range(100)]})
    styled = display.styled_table(frame, lang="id", highlight="Kabupaten 070", max_rows=40, scores=["score"])
    html = styled.to_html()
    assert html.count("<tr") == 1 + 41 and "Kabupaten 070" in html and "Kabupaten 041" not in html
    assert "40 baris pertama dari 100 dan baris Kabupaten 070" in html and "buku kerja Excel" in html
    assert "font-weight: bold" in html  # the region's row still stands out
    english = display.styled_table(frame, lang="en", max_rows=40).to_html()
    assert english.count("<tr") == 1 + 40 and "The first 40 rows of 100; the whole table" in english
    assert display.styled_table(frame, lang="id").to_html().count("<tr") == 101  # default: every row
