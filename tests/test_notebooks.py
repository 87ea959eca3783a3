"""The notebook suite: stored clean, parameterised, and every notebook runs end to end.

The notebooks are executed with papermill on the sample data, the way ``smartcity run`` executes
them, in the ``python3`` kernel (which must be this environment's Python), with small Monte Carlo
sizes to stay within the CI budget.

Their prose is not stored in them: cells tagged ``prose`` show it from :mod:`smartcity_analysis.i18n`
in the language of the ``lang`` parameter, and the executed notebooks are checked for words of
the other language.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import pytest
from nbconvert import HTMLExporter

from smartcity_analysis import i18n

#: Not in `make test-fast`: it executes notebooks in kernels.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
EXPECTED = [
    "01_load_and_validate.ipynb",
    "02_dimension_scores.ipynb",
    "03_compare_regencies.ipynb",
    "04_gap_analysis.ipynb",
    "05_trends.ipynb",
    "06_uncertainty.ipynb",
    "07_audit.ipynb",
]
#: The notebooks whose prose comes from i18n.report (``nb01:`` ... ``nb06:``).
PROSE_NOTEBOOKS = [ROOT / "notebooks" / name for name in EXPECTED[:6]]
COMMON_PARAMETERS = {"assessment", "cycle", "region", "lang", "raw_dir", "framework_path"}
#: Small sizes for the tests; the defaults in the notebooks are the report's.
QUICK = {"n_samples": 200}
#: Seconds a cell may take before the test fails instead of hanging CI (each takes a few).
CELL_TIMEOUT = 300
#: Tag of the cells that show a text of :mod:`smartcity_analysis.i18n.report` (``display.prose``).
PROSE_TAG = "prose"
#: Function words of each language: a report in the other language should (almost) not use them.
ENGLISH_WORDS = frozenset("the and of is to with for which in a an on are by that this it be as at "
                          "from or not its each every when than how what where".split())
INDONESIAN_WORDS = frozenset("yang dan dari untuk dengan di ke ini itu pada adalah atau tidak setiap "
                             "dalam oleh".split())


def parameters_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


def declared(notebook: nbformat.NotebookNode) -> set[str]:
    tree = ast.parse(parameters_cell(notebook).source)
    return {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}


def execute(path: Path, out: Path, **parameters) -> nbformat.NotebookNode:
    accepted = declared(nbformat.read(path, as_version=4))
    wanted = {k: v for k, v in {**QUICK, **parameters}.items() if k in accepted}
    return papermill.execute_notebook(
        str(path), str(out), parameters=wanted, kernel_name="python3", cwd=str(ROOT),
        progress_bar=False, log_output=False, execution_timeout=CELL_TIMEOUT,
    )


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the executed notebook shows, as text (streams, HTML and plain text)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            for mime in ("text/html", "text/plain", "text/markdown"):
                if mime in output.get("data", {}):
                    parts.append(output["data"][mime])
    return "\n".join(parts)


def images(notebook: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))


def prose_keys(cell: nbformat.NotebookNode) -> list[str]:
    """The i18n keys a cell shows with ``display.prose``."""
    return re.findall(r"""\bprose\(\s*["']([^"']+)["']""", cell.source)


class _VisibleText(HTMLParser):
    """The text a reader sees in an HTML page: no scripts, styles or head."""

    HIDDEN = {"script", "style", "head"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def report_words(done: nbformat.NotebookNode) -> list[str]:
    """The words of an executed notebook as the report shows it (code hidden), lower case.

    Codes and abbreviations (``SB-TO-03``, ``OPD``) and cell references (``A5``) are not words.
    """
    done.metadata.pop("widgets", None)
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(done)
    parser = _VisibleText()
    parser.feed(body)
    tokens = re.findall(r"\w+", " ".join(parser.parts))
    return [t.lower() for t in tokens if t.isalpha() and not (t.isupper() and len(t) > 1)]


def assert_reads_in(done: nbformat.NotebookNode, lang: str, name: str) -> None:
    """An Indonesian report has under 3 % English function words; an English one none of the
    Indonesian ones (every text, table and chart title, not only the prose)."""
    words = report_words(done)
    foreign = [w for w in words if w in (ENGLISH_WORDS if lang == "id" else INDONESIAN_WORDS)]
    share = len(foreign) / len(words)
    common = sorted(set(foreign), key=foreign.count, reverse=True)[:8]
    if lang == "id":
        assert share < 0.03, f"{name}: {share:.1%} of the Indonesian report's words are English: {common}"
    else:
        assert not foreign, f"{name}: Indonesian words in the English report: {common}"


# --- stored form ---------------------------------------------------------------------------------


def test_the_suite_is_complete():
    assert NAMES == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_without_outputs_and_with_parameters(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: outputs stored (strip them before committing)"
            assert cell.execution_count is None, f"{path.name}: execution count stored"
    assert notebook.metadata.kernelspec.name == "python3"
    names = declared(notebook)
    assert COMMON_PARAMETERS <= names
    # papermill reads the same names (an "=" in a comment would hide one and make it warn).
    assert set(papermill.inspect_notebook(str(path))) == names
    if path.name.startswith("04"):
        assert "targets" in names
    if path.name.startswith("06"):
        assert "n_samples" in names
    # The notebook opens with its title and question, then the parameters.
    assert "parameters" in notebook.cells[1].metadata.get("tags", [])


@pytest.mark.parametrize("path", PROSE_NOTEBOOKS, ids=EXPECTED[:6])
def test_prose_comes_from_i18n(path):
    """No prose is stored in a notebook: tagged cells show the texts of its own ``nbNN:`` keys,
    each once, in the order of the notebook, and every key exists in both languages. The first
    cell is the title."""
    notebook = nbformat.read(path, as_version=4)
    assert prose_keys(notebook.cells[0]) == [f"nb{path.name[:2]}:title"]
    assert not [c for c in notebook.cells if c.cell_type == "markdown"], "prose comes from i18n"
    prefix = f"nb{path.name[:2]}:"
    shown = []
    for cell in notebook.cells:
        keys = prose_keys(cell)
        assert bool(keys) == (PROSE_TAG in cell.metadata.get("tags", [])), (
            f"{path.name}: a cell that shows prose is tagged {PROSE_TAG!r}, and only such a cell:\n"
            f"{cell.source}")
        shown += [k for k in keys if k not in shown]  # the title is shown, then redrawn in `lang`
    assert all(k.startswith(prefix) and k in i18n.TERMS for k in shown), shown
    defined = [k for k in i18n.report.TERMS if k.startswith(prefix)]
    assert shown == defined, "every text of the notebook shown once, in the order of report.py"
    # The title comes before the parameters, so a cell after them draws it again in `lang`.
    assert any(f'title.update(display.prose("{prefix}title", lang))' in c.source for c in notebook.cells[2:])


def test_interactive_cells_are_tagged():
    """Cells with widgets carry the tag a static report may drop, and a static chart precedes them."""
    tagged = []
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            if "chart_picker(" in cell.source:
                assert "interactive" in cell.metadata.get("tags", []), path.name
                assert "show_figure(" in cells[i - 1].source, "the default selection is shown statically"
                tagged.append(path.name)
    assert tagged, "one notebook has a region and dimension picker"


# --- execution -----------------------------------------------------------------------------------


def test_python3_kernel_is_this_environment(tmp_path):
    """papermill's ``python3`` kernel runs this venv's Python (where the package is installed)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "probe.ipynb"
    nbformat.write(notebook, source)
    done = papermill.execute_notebook(str(source), None, kernel_name="python3", progress_bar=False,
                                      execution_timeout=CELL_TIMEOUT)
    assert done.cells[0].outputs[0]["text"].strip() == sys.prefix


#: What each notebook must show on the sample data, besides running without error.
SHOWS = {
    "01_load_and_validate.ipynb": ["OK: 10 daerah, siklus 2023, 2024", "5 masalah ditemukan", "SC303"],
    "02_dimension_scores.ipynb": ["Sangat Baik", "Tingkat kematangan"],
    "03_compare_regencies.ipynb": ["Median kohort", "Selisih dari terbaik", "kota"],
    # Issue 4's "done when": the Pekalongan analyst gets the masterplan's answers here.
    "04_gap_analysis.ipynb": ["Analisis kesenjangan: Kabupaten Pekalongan, siklus 2024", "quick win",
                              "Aspek terlemah per dimensi", "Sejak 2023", "Sesuai jalur"],
    "05_trends.ipynb": ["Perubahan peringkat", "Skor sebelumnya"],
    "06_uncertainty.ipynb": ["Peringkat 95%", "bobot", "Batas atas 90%"],
    "07_audit.ipynb": ["Temuan", "Sebaran indikator"],
}
#: Charts each notebook draws (PNG outputs).
CHARTS = {"01": 0, "02": 3, "03": 3, "04": 5, "05": 2, "06": 1, "07": 3}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs(path, tmp_path):
    done = execute(path, tmp_path / path.name)
    text = outputs_text(done)
    assert "data sintetis" in text.lower()
    assert "Traceback" not in text
    for expected in SHOWS[path.name]:
        assert expected in text, f"{path.name} does not show {expected!r}"
    assert images(done) >= CHARTS[path.name[:2]]
    if path.name.startswith("03"):
        assert_report_reads_well(done)
    assert_reads_in(done, "id", path.name)


def assert_report_reads_well(done: nbformat.NotebookNode) -> None:
    """Converted as the run's report does it: code hidden, charts inline, the picker's note."""
    done.metadata.pop("widgets", None)  # the report merges notebooks without their widget state
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(done)
    assert "display.styled_table(" not in body and "import " not in body
    assert body.count("data:image/png") >= 4
    assert "buka notebook ini di JupyterLab" in body
    assert "<Figure size" not in body and "VBox(" not in body


def test_english_and_a_first_cycle(tmp_path):
    """Labels follow ``lang``; a cycle with no earlier one has no progress to judge."""
    done = execute(ROOT / "notebooks" / "04_gap_analysis.ipynb", tmp_path / "04_en.ipynb",
                   lang="en", region="Kota Parepare", cycle=2023)
    text = outputs_text(done)
    assert "Gap analysis: Kota Parepare, cycle 2023" in text
    assert "No earlier cycle" in text
    assert "Index points gained" in text and "Tambahan poin indeks" not in text
    assert done.cells[0].outputs[0]["data"]["text/markdown"].startswith("# 04 Gap analysis")
    assert_reads_in(done, "en", "04_gap_analysis.ipynb")


@pytest.mark.slow
@pytest.mark.parametrize("path", PROSE_NOTEBOOKS, ids=EXPECTED[:6])
def test_english_report_has_no_indonesian(path, tmp_path):
    """With ``lang="en"`` every notebook reads in English: prose, tables and charts."""
    done = execute(path, tmp_path / path.name, lang="en")
    text = outputs_text(done)
    assert "Traceback" not in text
    assert i18n.term(f"nb{path.name[:2]}:title", "en").splitlines()[0] in text
    assert_reads_in(done, "en", path.name)


def test_instrument_changes_are_listed(tmp_path):
    """A raw folder that declares instrument changes: the trends notebook lists them."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "templates", raw / "templates")
    shutil.copy(ROOT / "data" / "raw" / "README.md", raw / "README.md")
    (raw / "instrument_changes.csv").write_text(
        "cycle,change,old_code,new_code,note\n2024,renamed,SL-BD-01,SL-MO-01,Building -> Mobility\n",
        encoding="utf-8")
    done = execute(ROOT / "notebooks" / "05_trends.ipynb", tmp_path / "05.ipynb", raw_dir=str(raw))
    text = outputs_text(done)
    assert "2024: SL-BD-01 diganti kode -> SL-MO-01" in text
    assert "Traceback" not in text


def test_notebooks_read_the_saved_assessment(tmp_path):
    """Given a saved assessment, a notebook neither reloads nor rescores: a variant scored with
    min-max normalisation is shown as saved, with no raw folder there to read, and every score of
    the workbook's dimension sheet for it is in the notebook's table."""
    from smartcity_analysis import ScoringOptions, open_assessment
    from smartcity_analysis.i18n import format_number

    variant = open_assessment(ROOT / "data" / "raw", options=ScoringOptions(normalise="minmax"))
    saved = variant.save(tmp_path / "assessment")
    done = execute(ROOT / "notebooks" / "02_dimension_scores.ipynb", tmp_path / "02.ipynb",
                   assessment=str(saved), raw_dir=str(tmp_path / "no-such-folder"))
    text = outputs_text(done)
    assert "Traceback" not in text
    codes = [variant.framework.root, *variant.framework.dimensions]
    wide = variant.scores.values[codes].xs(variant.cycle, level="cycle")  # the dimension sheet's numbers
    shown = [format_number(float(v), 1, "id") for v in wide.to_numpy().ravel()]
    missing = [s for s in shown if s not in text]
    assert not missing, f"scores of the workbook not in the notebook: {missing[:5]}"
