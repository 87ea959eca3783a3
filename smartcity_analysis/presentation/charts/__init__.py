"""Slide-ready charts of the readiness assessment, one module per family of charts.

Every chart function takes tidy data (or a :class:`~smartcity_analysis.model.scoring.Scores` /
:class:`~smartcity_analysis.analysis.gaps.GapAnalysis`), draws a 16:9 slide in the package theme
(:mod:`.theme`) and returns the :class:`~matplotlib.figure.Figure`: nothing is shown or saved
behind the caller's back. Labels are Indonesian unless ``lang="en"``. Figures are not
registered with pyplot (a cohort's worth never piles up in memory): in JupyterLab leave one as
the cell's last expression to see it, and ``fig.savefig(path)`` to keep it. Inside
``with slide_body():`` every chart is drawn instead as the body of a slide that has its own
title (a deck): at the slide's chart box size, subtitle kept, title and footnote left out.

- :mod:`.radar`: :func:`radar_chart`, :func:`radar_grid`
- :mod:`.heatmap`: :func:`maturity_heatmap`, :func:`readiness_heatmap`
- :mod:`.ranking`: :func:`ranking_bars`
- :mod:`.gaps`: :func:`gap_dumbbell`, :func:`contribution_pareto`, :func:`priority_matrix`
- :mod:`.trend`: :func:`trend_slope`, :func:`rank_changes`
- :mod:`.audit`: :func:`correlation_heatmap`, :func:`reliability_bars`, :func:`sobol_bars` (the
  statistical audit)
- :mod:`.export`: :func:`chart_set`, :func:`export_charts` and ``smartcity charts``

Examples
--------
>>> from smartcity_analysis.presentation.charts import radar_chart                        # doctest: +SKIP
>>> fig = radar_chart(scores, "Kabupaten Bangli", targets=analysis)         # doctest: +SKIP
>>> fig.savefig("bangli-radar.png")                                         # doctest: +SKIP
"""

from .audit import correlation_heatmap, reliability_bars, sobol_bars
from .export import chart_set, cohort_for_charts, export_charts
from .gaps import contribution_pareto, gap_dumbbell, priority_matrix
from .heatmap import maturity_heatmap, readiness_heatmap
from .radar import radar_chart, radar_grid
from .ranking import ranking_bars
from .theme import (
    DPI,
    SLIDE_BODY_SIZE,
    SLIDE_SIZE,
    dimension_colors,
    maturity_colors,
    slide_body,
    source_line,
    style_path,
    theme,
)
from .trend import rank_changes, trend_slope

__all__ = [
    "DPI",
    "SLIDE_BODY_SIZE",
    "SLIDE_SIZE",
    "chart_set",
    "cohort_for_charts",
    "contribution_pareto",
    "correlation_heatmap",
    "dimension_colors",
    "export_charts",
    "gap_dumbbell",
    "maturity_colors",
    "maturity_heatmap",
    "priority_matrix",
    "radar_chart",
    "radar_grid",
    "rank_changes",
    "ranking_bars",
    "readiness_heatmap",
    "reliability_bars",
    "slide_body",
    "sobol_bars",
    "source_line",
    "style_path",
    "theme",
    "trend_slope",
]
