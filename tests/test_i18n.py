"""Words and sentences: one source for both languages, numbers written the reader's way."""

from __future__ import annotations

import string

import pytest

from smartcity_analysis import i18n


def test_no_key_is_defined_twice():
    assert i18n.duplicate_keys() == []


def test_every_term_has_both_languages_with_the_same_fields():
    fields = string.Formatter()
    for key, (id_text, en_text) in i18n.TERMS.items():
        assert id_text and en_text, key
        id_fields = {f for _, f, _, _ in fields.parse(id_text) if f}
        en_fields = {f for _, f, _, _ in fields.parse(en_text) if f}
        assert id_fields == en_fields, key


def test_sentence_writes_numbers_the_readers_way():
    i18n.TERMS["test:s"] = ("Indeks {score} ({n} daerah)", "Index {score} ({n} regions)")
    try:
        assert i18n.sentence("test:s", "id", score=1234.56, n=10) == "Indeks 1.234,6 (10 daerah)"
        assert i18n.sentence("test:s", "en", score=1234.56, n=10) == "Index 1,234.6 (10 regions)"
        assert i18n.sentence("test:s", "id", decimals=2, score=3.456, n=2) == "Indeks 3,46 (2 daerah)"
    finally:
        del i18n.TERMS["test:s"]


# --- the notebooks' and the report's prose (i18n.report) -----------------------------------------


def _headings(text: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("#")]


def test_prose_keys_are_the_notebooks_and_the_reports():
    assert i18n.report.TERMS
    for key in i18n.report.TERMS:
        assert key.startswith(("report:", *(f"nb0{n}:" for n in range(1, 8)))), key


def test_each_notebook_opens_with_its_title_and_question():
    for n in range(1, 8):
        id_text, en_text = i18n.TERMS[f"nb0{n}:title"]
        assert id_text.startswith(f"# 0{n} ") and en_text.startswith(f"# 0{n} ")
        assert "\n\n**Pertanyaan:** " in id_text and "\n\n**Question:** " in en_text


def test_prose_has_the_same_headings_in_both_languages():
    """A text's Markdown headings (levels in order) are the same in both languages, so the
    contents of JupyterLab and of the report have the same shape; a section opens with its ``##``."""
    for key, (id_text, en_text) in i18n.report.TERMS.items():
        assert _headings(id_text) == _headings(en_text), key
        if key.startswith("nb") and not key.endswith(":title") and _headings(id_text):
            assert id_text.startswith("## ") and _headings(id_text) == ["##"], key


def test_prose_is_markdown_in_the_readers_language():
    from IPython.display import Markdown

    from smartcity_analysis.presentation.display import prose

    text = prose("nb02:elements", "id", n=18, n_dimensions=6)
    assert isinstance(text, Markdown)
    assert text.data.startswith("## Sub-dimensi (elemen) daerah\n\nSebanyak 18 sub-dimensi di bawah 6")
    assert prose("nb02:elements", "en", n=18, n_dimensions=6).data.startswith("## Sub-dimensions")
    weights = {"low": 0.75, "high": 1.25, "percent": 25, "decimals": 2}
    assert "antara 0,75 dan 1,25 (variasi ±25%" in prose("nb06:weights", "id", **weights).data
    assert "between 0.75 and 1.25 (±25%" in prose("nb06:weights", "en", **weights).data
    assert prose("report:contents", "id").data == "Daftar isi"
    with pytest.raises(KeyError, match="nb02:no-such-text"):  # an error, not the key shown to the reader
        prose("nb02:no-such-text", "id")


def test_the_report_title_in_both_languages():
    assert i18n.sentence("report:title", "id", cycle="2024", region="Kota Solok") == (
        "Kesiapan smart city, siklus 2024: Kota Solok")
    assert i18n.sentence("report:title", "en", cycle="2024", region="Kota Solok") == (
        "Smart city readiness, cycle 2024: Kota Solok")
