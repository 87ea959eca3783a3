"""Words and sentences: one source for both languages, numbers written the reader's way."""

from __future__ import annotations

import string

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
