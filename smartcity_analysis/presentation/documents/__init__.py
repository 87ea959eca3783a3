"""The masterplan documents of one region as editable Word files, from the assessment's numbers.

The 2024 assistance hands a regency four products; :func:`write_documents` writes them from one
:class:`~smartcity_analysis.assessment.Assessment` (so they state the workbook's numbers), in
Indonesian unless ``lang="en"``:

- **Analisis Kesiapan** (:func:`build_readiness_analysis`): profile, method, scores, readiness
  matrix, cohort and peers, change, one section per dimension with a SWOT table, gaps, roadmap,
  appendix of every indicator (``analisis_kesiapan_<region>.docx``);
- **Profil Quick Win** (:func:`build_quick_win_profile`): each quick win in a table and a block
  (``profil_quick_win_<region>.docx``);
- **Ringkasan Eksekutif** (:func:`build_executive_summary`): two pages at most
  (``ringkasan_eksekutif_<region>.docx``);
- **Peta Jalan** (:func:`build_roadmap`): ten years by horizon, target paths and the indicator
  schedule (``peta_jalan_<region>.docx``), and the same tables as a workbook the team edits
  (``peta_jalan_<region>.xlsx``, :func:`write_roadmap_workbook`).

Each builder returns a python-docx ``Document`` written on a template through its styles
(:mod:`._word`): real headings, a table of contents, tables with repeating header rows, charts
from :mod:`..charts` at print resolution with captions and alt text, page numbers, a cover.
``template="office.docx"`` uses an office's styles and cover (see ``scripts/make_docx_template.py``
for the cover fields). Opportunities and threats of the SWOT tables are the only text left for
people to write, marked ``[Diisi dalam lokakarya]`` in the ``Catatan Lokakarya`` style.

Examples
--------
>>> from smartcity_analysis import open_assessment                                     # doctest: +SKIP
>>> from smartcity_analysis.presentation.documents import write_documents              # doctest: +SKIP
>>> a = open_assessment("data/raw")                                                     # doctest: +SKIP
>>> write_documents(a, "Kab. Pekalongan", "out/dokumen")                               # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...errors import Location, RunError
from ..context import uses_context
from . import analysis, quick_wins, roadmap, summary
from ._common import FIGURE_KEYS, Context, document_path, draw_figures, make_context
from ._facts import RegionFacts, region_facts, scheduled_indicators, target_paths
from ._word import docx_bytes, open_template
from .roadmap import roadmap_sheets

__all__ = [
    "DOCUMENTS",
    "RegionFacts",
    "build_executive_summary",
    "build_quick_win_profile",
    "build_readiness_analysis",
    "build_roadmap",
    "document_path",
    "open_template",
    "region_facts",
    "roadmap_sheets",
    "scheduled_indicators",
    "target_paths",
    "write_document",
    "write_documents",
    "write_roadmap_workbook",
]

#: The documents in the order they are written (keys of ``doc:title:*`` and ``doc:file:*``).
DOCUMENTS = ("analysis", "quick_wins", "summary", "roadmap")


def _context(assessment, region, lang, template, date, synthetic, figures, keys) -> Context:
    if figures is None:
        figures = draw_figures(assessment, region, lang, keys)
    return make_context(assessment, region, lang=lang, date=date, synthetic=synthetic, template=template,
                        figures=figures)


def build_readiness_analysis(assessment, region: str, *, template=None, lang: str = "id",
                             date: dt.date | None = None, synthetic: bool | None = None, figures=None):
    """**Analisis Kesiapan** of ``region`` as a python-docx ``Document``.

    Parameters
    ----------
    assessment : Assessment
        From :func:`~smartcity_analysis.assessment.open_assessment`; its analysed cycle is described.
    region : str
        Any spelling the alias table knows (``"Kab. Pekalongan"``).
    template : path, optional
        An office's .docx/.dotx; default the shipped ``templates/dokumen.docx``.
    lang : {"id", "en"}
    date : date, optional
        On the cover; default today.
    synthetic : bool, optional
        Mark the document as synthetic data; default ``assessment.synthetic``.
    figures : dict of str to bytes, optional
        Charts already drawn by :func:`~._common.draw_figures` (reused, not drawn again).
    """
    return analysis.document(_context(assessment, region, lang, template, date, synthetic, figures, FIGURE_KEYS))


def build_quick_win_profile(assessment, region: str, *, template=None, lang: str = "id",
                            date: dt.date | None = None, synthetic: bool | None = None, figures=None):
    """**Profil Quick Win** of ``region`` (parameters as :func:`build_readiness_analysis`)."""
    return quick_wins.document(_context(assessment, region, lang, template, date, synthetic, figures, ("10_priority",)))


def build_executive_summary(assessment, region: str, *, template=None, lang: str = "id",
                            date: dt.date | None = None, synthetic: bool | None = None, figures=None):
    """**Ringkasan Eksekutif** of ``region``, two pages at most (parameters as
    :func:`build_readiness_analysis`)."""
    return summary.document(_context(assessment, region, lang, template, date, synthetic, figures, ("05_radar",)))


def build_roadmap(assessment, region: str, *, template=None, lang: str = "id", date: dt.date | None = None,
                  synthetic: bool | None = None, figures=None):
    """**Peta Jalan** of ``region`` (parameters as :func:`build_readiness_analysis`)."""
    return roadmap.document(_context(assessment, region, lang, template, date, synthetic, figures,
                                     ("07_gap_dimension",)))


def write_roadmap_workbook(assessment, region: str, path: str | Path, *, lang: str = "id") -> Path:
    """``peta_jalan_<region>.xlsx``: target paths and the indicator schedule, for the team to edit."""
    return roadmap.write_xlsx(make_context(assessment, region, lang=lang), path)


def write_document(document, path: str | Path) -> Path:
    """Save a python-docx ``Document`` atomically (a reader never meets half a file), the same
    bytes for the same document and date."""
    from ..workbook import atomic_write

    path = Path(path)
    modified = document.core_properties.modified
    data = docx_bytes(document, (modified.year, modified.month, modified.day) if modified else (2024, 1, 1))
    try:
        with atomic_write(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return path


@uses_context
def write_documents(assessment, region: str, out_dir: str | Path, *, template=None, lang: str = "id",
                    date: dt.date | None = None, synthetic: bool | None = None, name: str | None = None
                    ) -> list[Path]:
    """Write the four documents of ``region`` and the roadmap workbook into ``out_dir``.

    The charts are drawn once for all four. Returns the paths written, in :data:`DOCUMENTS`
    order, the workbook last. ``name`` is the region's part of the file names (default its
    slug, ``kabupaten-pekalongan``); other parameters as :func:`build_readiness_analysis`.
    """
    region = assessment.resolve_region(region)
    if template is not None:
        open_template(template)  # a wrong template is reported before anything is drawn
    figures = draw_figures(assessment, region, lang, FIGURE_KEYS)
    ctx = make_context(assessment, region, lang=lang, date=date, synthetic=synthetic, template=template,
                       figures=figures, file_stem=name)
    builders = {"analysis": analysis.document, "quick_wins": quick_wins.document, "summary": summary.document,
                "roadmap": roadmap.document}
    out_dir = Path(out_dir)
    written = [write_document(builders[kind](ctx), out_dir / ctx.file_name(kind)) for kind in DOCUMENTS]
    written.append(roadmap.write_xlsx(ctx, out_dir / ctx.file_name("roadmap", ".xlsx")))
    return written
