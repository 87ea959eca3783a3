"""The charts look the same on every machine: one shipped font, whatever fonts the system has.

Every chart is set in Source Sans Pro, shipped in ``presentation/charts/fonts`` and registered
with matplotlib by the theme; the one symbol it lacks (★) comes from the DejaVu Sans inside
matplotlib. The proof: the same charts drawn in fresh processes whose matplotlib sees only
DejaVu Sans, or only Liberation Sans (a machine with LibreOffice), among the system fonts have
the same text boxes and the same PNG bytes as here, with no glyph warning and no cut text.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tomllib
import warnings
from importlib import import_module
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib import image as mpl_image
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.text import Text

from smartcity_analysis.presentation import charts

#: Not in `make test-fast`: it draws charts in fresh processes.
pytestmark = pytest.mark.slow


theme = import_module("smartcity_analysis.presentation.charts.theme")

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
SAMPLE = ROOT / "data" / "raw" / "templates"
REGION = "Kabupaten Bangli"
#: Charts compared pixel by pixel (PNG bytes at 200 dpi); every chart's text boxes are compared.
PNG_CHARTS = ("02_heatmap", "09_pareto", "10_priority", "body:10_priority")
BODY_CHARTS = ("06_readiness", "10_priority")
#: What the style asked for before the font shipped: the font depended on the machine.
OLD_FAMILIES = ["Source Sans 3", "Open Sans", "Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"]


def shipped() -> set[str]:
    return {os.path.realpath(p) for p in theme.font_paths()}


def bundled_dir() -> str:
    return os.path.realpath(os.path.join(mpl.get_data_path(), "fonts", "ttf"))


def resolved(text: Text) -> str:
    return os.path.realpath(findfont(text.get_fontproperties(), fallback_to_default=False))


def all_texts(fig) -> list[Text]:
    """Every visible, non-empty text artist of a figure (tick labels out of view included)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


# --- what a chart run reports: the same function here and in the child processes ---------------


def chart_report(png_dir: Path | None = None) -> dict:
    """Text boxes, fonts and PNG digests of the sample's charts, drawn with warnings as errors.

    Also fails, naming the chart, if a text is cut at the slide edge or overlaps another
    (``test_charts.assert_readable``).
    """
    from test_charts import assert_readable, texts_of

    from smartcity_analysis.analysis.gaps import gap_analysis
    from smartcity_analysis.analysis.sensitivity import weight_uncertainty
    from smartcity_analysis.input.loading import load_answers
    from smartcity_analysis.model.scoring import score

    font_log: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            font_log.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logging.getLogger("matplotlib").addHandler(handler)
    scores = score(load_answers(SAMPLE))
    gaps = gap_analysis(scores)
    uncertainty = weight_uncertainty(scores, n_samples=20, seed=1)
    layouts, pngs, fonts = {}, {}, set()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font(s)" fails the run
            figures = dict(charts.chart_set(scores, gaps, uncertainty, region=REGION))
            with charts.slide_body():
                bodies = charts.chart_set(scores, gaps, region=REGION, keys=BODY_CHARTS)
            figures.update({f"body:{k}": fig for k, fig in bodies.items()})
            for key, fig in figures.items():
                try:
                    assert_readable(fig)
                except AssertionError as exc:
                    raise AssertionError(f"{key}: {exc}") from None
                renderer = fig.canvas.get_renderer()
                layouts[key] = {
                    "size": [float(v) for v in fig.get_size_inches()],
                    "texts": [[t.get_text(), float(t.get_fontsize()), str(t.get_fontweight()),
                               os.path.basename(resolved(t)),
                               [float(v) for v in Text.get_window_extent(t, renderer).extents]]
                              for t in texts_of(fig)],
                }
                fonts |= {resolved(t) for t in all_texts(fig)}
                if key in PNG_CHARTS:
                    buffer = io.BytesIO()
                    fig.savefig(buffer, format="png")
                    data = buffer.getvalue()
                    pngs[key] = hashlib.sha256(data).hexdigest()
                    if png_dir is not None:
                        (png_dir / f"{key.replace(':', '-')}.png").write_bytes(data)
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    names = {e.name for e in font_manager.fontManager.ttflist
             if os.path.dirname(os.path.realpath(e.fname)) != bundled_dir()
             and os.path.realpath(e.fname) not in shipped()}
    old = findfont(FontProperties(family=OLD_FAMILIES), fallback_to_default=False)
    return {"layouts": layouts, "pngs": pngs, "fonts": sorted(fonts), "font_log": font_log,
            "system_families": sorted(names), "old_style_font": os.path.basename(old)}


#: Run in a fresh interpreter whose matplotlib knows only matplotlib's own fonts and those
#: fontconfig (FONTCONFIG_FILE) offers. matplotlib also scans /usr/share/fonts and ~/.fonts on
#: its own, past fontconfig: the font manager is built again without those folders.
CHILD = """
import os, sys
sys.path.insert(0, {tests!r})
import matplotlib.font_manager as fm  # built from matplotlib's fonts only: MPL_IGNORE_SYSTEM_FONTS
del os.environ["MPL_IGNORE_SYSTEM_FONTS"]
fm.X11FontDirectories = []
fm.fontManager.__dict__.update(vars(fm.FontManager()))  # as matplotlib rebuilds it in place
import json, pathlib, test_fonts
out = pathlib.Path(sys.argv[1])
out.joinpath("report.json").write_text(json.dumps(test_fonts.chart_report(out)))
"""

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
{dirs}
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def system_font_dirs(which: str, tmp: Path) -> list[Path]:
    """Folders of one family as the system has it; DejaVu from matplotlib's copy if absent."""
    if which == "liberation":
        return sorted(Path("/usr/share/fonts/truetype").glob("liberation*"))
    system = Path("/usr/share/fonts/truetype/dejavu")
    if system.is_dir():
        return [system]
    folder = tmp / "dejavu"
    folder.mkdir()
    for path in Path(mpl.get_data_path(), "fonts", "ttf").glob("DejaVuSans*.ttf"):
        shutil.copy(path, folder)
    return [folder]


class Child:
    """A fresh process drawing the charts while it sees only ``which`` among the system fonts."""

    def __init__(self, which: str, tmp: Path):
        self.which, self.tmp, self.process = which, tmp, None
        dirs = system_font_dirs(which, tmp)
        if not dirs:
            return  # skipped by the test that asks for it
        conf = tmp / "fonts.conf"
        conf.write_text(FONTS_CONF.format(dirs="\n".join(f"  <dir>{d}</dir>" for d in dirs),
                                          cache=tmp / "fc-cache"))
        self.listed = subprocess.run(["fc-list", "--format=%{file}\\n"], capture_output=True, text=True,
                                     env={**os.environ, "FONTCONFIG_FILE": str(conf)},
                                     check=True).stdout.split()
        self.dirs = dirs
        (tmp / "mpl").mkdir()
        (tmp / "home").mkdir()
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "MPLCONFIGDIR": str(tmp / "mpl"),
               "HOME": str(tmp / "home"), "XDG_DATA_HOME": str(tmp / "home"),
               "MPL_IGNORE_SYSTEM_FONTS": "1", "MPLBACKEND": "agg"}
        env.pop("PYTHONWARNINGS", None)
        self.stderr = tmp / "stderr.txt"
        with self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", CHILD.format(tests=str(TESTS)), str(tmp)],
                stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=tmp)

    def result(self) -> tuple[dict, Path]:
        if self.process is None:
            pytest.skip(f"no {self.which} fonts on this machine")
        # fontconfig offers the one family only
        assert self.listed and all(any(Path(f).is_relative_to(d) for d in self.dirs)
                                   for f in self.listed), self.listed
        try:
            code = self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        stderr = self.stderr.read_text()
        assert code == 0, stderr[-3000:]
        assert "Glyph" not in stderr and "findfont" not in stderr, stderr[-3000:]
        return json.loads((self.tmp / "report.json").read_text()), self.tmp


SETUPS = ("dejavu", "liberation")


@pytest.fixture(scope="module")
def children(tmp_path_factory):
    """Child runs by setup, started on first request. Outside pytest-xdist the first request
    starts every setup, so the children draw at the same time as each other and as ``here``;
    under xdist the tests may go to different workers, and each starts only its own."""
    runs: dict[str, Child] = {}

    def start(which: str) -> Child:
        wanted = [which] if os.environ.get("PYTEST_XDIST_WORKER") else [which, *SETUPS]
        for name in wanted:
            if name not in runs:
                runs[name] = Child(name, tmp_path_factory.mktemp(name))
        return runs[which]

    yield start
    for run in runs.values():
        if run.process is not None and run.process.poll() is None:
            run.process.kill()
            run.process.wait()


@pytest.fixture(scope="module")
def here(tmp_path_factory) -> tuple[dict, Path]:
    """The same report drawn in this process, with this machine's fonts."""
    folder = tmp_path_factory.mktemp("here")
    return chart_report(folder), folder


def pixel_difference(a: Path, b: Path) -> str:
    first, second = (np.asarray(mpl_image.imread(p)) for p in (a, b))
    if first.shape != second.shape:
        return f"sizes {first.shape} and {second.shape}"
    return f"{int(np.any(first != second, axis=-1).sum())} pixels differ"


# --- the font ships and is registered ------------------------------------------------------------


def test_font_files_ship_in_the_package_with_their_licence():
    paths = theme.font_paths()
    assert [p.name for p in paths] == ["SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf"]
    licence = (paths[0].parent / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name 'Source'" in licence
    for path in paths:
        assert path.stat().st_size < 400_000  # one weight each, TrueType
        assert font_manager.get_font(str(path)).family_name == theme.FONT_FAMILY
    # In the wheel: setuptools' package data names every file of the fonts folder.
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    package = ROOT / "smartcity_analysis"
    for path in paths[0].parent.iterdir():
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns["smartcity_analysis"]), relative


def test_style_names_the_shipped_family_only():
    style = theme._style()
    assert style["font.family"] == [theme.FONT_FAMILY, theme.FALLBACK_FAMILY]
    assert style["font.sans-serif"] == [theme.FONT_FAMILY, theme.FALLBACK_FAMILY]
    with charts.theme():
        for weight, name in (("normal", "SourceSansPro-Regular.ttf"), ("bold", "SourceSansPro-Bold.ttf")):
            path = findfont(FontProperties(weight=weight), fallback_to_default=False)
            assert os.path.basename(path) == name and os.path.realpath(path) in shipped()
            fallback = findfont(FontProperties(family=theme.FALLBACK_FAMILY, weight=weight))
            assert os.path.dirname(os.path.realpath(fallback)) == bundled_dir()


def test_register_fonts_is_idempotent_and_the_shipped_files_win():
    manager = font_manager.fontManager

    def ours() -> int:
        return sum(os.path.realpath(e.fname) in shipped() for e in manager.ttflist)

    theme.register_fonts()
    count, registered = ours(), manager.ttflist
    assert count >= 2
    theme.register_fonts()
    assert manager.ttflist is registered  # nothing done the second time
    theme._registered_list = None
    theme.register_fonts()  # done again: nothing added twice
    assert ours() == count
    # An installed Source Sans Pro of another version (and another DejaVu Sans) matches as well;
    # the shipped and matplotlib's own files are still the ones found.
    regular = next(e for e in manager.ttflist if e.name == theme.FALLBACK_FAMILY and e.weight == 400
                   and os.path.dirname(os.path.realpath(e.fname)) == bundled_dir())
    system_dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    decoys = [font_manager.FontEntry(fname=regular.fname, name=theme.FONT_FAMILY, weight=400,
                                     size="scalable")]
    if system_dejavu.is_file():
        decoys.append(font_manager.FontEntry(fname=str(system_dejavu), name=theme.FALLBACK_FAMILY,
                                             weight=400, size="scalable"))
    before = manager.ttflist
    # As matplotlib's own rebuild of its font manager (a cached font file has gone): a new list,
    # without the shipped fonts; the theme puts them back.
    manager.ttflist = decoys + [e for e in before if os.path.realpath(e.fname) not in shipped()]
    try:
        with charts.theme():
            assert os.path.realpath(findfont(FontProperties())) in shipped()
        assert os.path.realpath(findfont(FontProperties(family=theme.FONT_FAMILY))) in shipped()
        fallback = findfont(FontProperties(family=theme.FALLBACK_FAMILY))
        assert os.path.dirname(os.path.realpath(fallback)) == bundled_dir()
    finally:
        manager.ttflist = before
        theme._registered_list = before
        manager._findfont_cached.cache_clear()


# --- the same charts whatever the system fonts ---------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("fc-list") is None,
                    reason="fontconfig on Linux decides which system fonts matplotlib sees")
@pytest.mark.parametrize("which", SETUPS)
def test_charts_are_the_same_whatever_the_system_fonts(which, children, request):
    run = children(which)  # drawing in its own process...
    report, here_dir = request.getfixturevalue("here")  # ...while the same charts are drawn here
    child, child_dir = run.result()
    # The setups differ where it mattered: the old style picked the machine's font.
    if which == "dejavu":
        assert "Liberation Sans" not in child["system_families"]
        assert child["old_style_font"] == "DejaVuSans.ttf"
    else:
        assert "Liberation Sans" in child["system_families"]
        assert child["old_style_font"].startswith("LiberationSans")
    assert child["font_log"] == []
    assert set(child["fonts"]) <= shipped()
    assert child["layouts"].keys() == report["layouts"].keys()
    for key, layout in report["layouts"].items():
        assert child["layouts"][key] == layout, f"{key}: text boxes differ with only {which} fonts"
    for key, digest in report["pngs"].items():
        name = key.replace(":", "-") + ".png"
        assert child["pngs"][key] == digest, (f"{key}: PNG differs with only {which} fonts "
                                              f"({pixel_difference(here_dir / name, child_dir / name)})")


# --- every text of every chart: the shipped font, every glyph there ------------------------------


def test_every_text_of_every_chart_is_set_in_the_shipped_font(here):
    report, _ = here
    assert report["font_log"] == []  # no "findfont: Font family ... not found"
    assert set(report["fonts"]) <= shipped() and len(report["fonts"]) == 2  # regular and bold
    from smartcity_analysis.presentation.charts.export import COHORT_CHARTS, REGION_CHARTS

    expected_keys = {*COHORT_CHARTS, *REGION_CHARTS, *(f"body:{k}" for k in BODY_CHARTS)}
    assert set(report["layouts"]) == expected_keys
    for key, layout in report["layouts"].items():
        for text, _size, weight, font, _box in layout["texts"]:
            expected = "SourceSansPro-Bold.ttf" if weight == "bold" else "SourceSansPro-Regular.ttf"
            assert font == expected, (key, text, weight, font)


def test_symbols_the_font_lacks_come_from_matplotlibs_dejavu(here):
    report, _ = here
    regular, bold = (font_manager.get_font(str(p)) for p in theme.font_paths())
    covered = set(regular.get_charmap()) & set(bold.get_charmap())
    fallback = font_manager.get_font(os.path.join(bundled_dir(), "DejaVuSans.ttf"))
    drawn = {ch for layout in report["layouts"].values() for t, *_ in layout["texts"] for ch in t}
    lacking = {ch for ch in drawn - {"\n"} if ord(ch) not in covered}
    assert lacking == {"★"}  # the quick-win star; ✓, → and ▼ are in Source Sans Pro
    assert all(ord(ch) in fallback.get_charmap() for ch in lacking)
    assert {"✓", "→", "▼", "\u00a0"} <= {chr(c) for c in covered}


def test_a_chart_keeps_its_font_when_drawn_outside_the_theme(framework):
    # Measured inside the theme, drawn (and saved) outside it: still the same font, so the
    # layout fitted to it holds.
    from test_charts import synthetic_answers

    from smartcity_analysis.model.scoring import score

    fig = charts.rank_changes(score(synthetic_answers(), framework))
    with mpl.rc_context({"font.family": ["serif"], "font.serif": ["DejaVu Serif"]}):
        fig.canvas.draw()
        assert {resolved(t) for t in all_texts(fig)} <= shipped()
