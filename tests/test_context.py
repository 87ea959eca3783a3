"""The presentation context: language, source line and the rest set once for a block."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcity_analysis import open_assessment
from smartcity_analysis.presentation import charts
from smartcity_analysis.presentation.charts._base import title_of
from smartcity_analysis.presentation.context import current, presentation_context
from smartcity_analysis.presentation.narrative import summary_sentence

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return open_assessment(ROOT / "data" / "raw")


def footnote_text(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def test_a_block_sets_language_and_source_line(sample):
    plain = charts.ranking_bars(sample.scores)
    with presentation_context(lang="en", footnote="Source: test"):
        english = charts.ranking_bars(sample.scores)
        explicit = charts.ranking_bars(sample.scores, lang="id")  # an explicit keyword wins
        sentence = summary_sentence(sample.scores, "Kota Solok")
    assert title_of(plain).startswith("Peringkat") and title_of(explicit).startswith("Peringkat")
    assert title_of(english).startswith("Smart city readiness")
    assert any("Source: test" in t for t in footnote_text(english))
    assert "index" in sentence and "indeks" not in sentence


def test_contexts_nest_and_end(sample):
    with presentation_context(lang="en"):
        with presentation_context(footnote="Inner"):
            assert current().lang == "en" and current().footnote == "Inner"
        assert current().footnote is None
    assert current().lang is None
    with pytest.raises(ValueError):
        with presentation_context(lang="fr"):
            pass
    with pytest.raises(TypeError):
        with presentation_context(colour="red"):
            pass
