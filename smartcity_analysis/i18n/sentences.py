"""Sentence templates of the narrative (chart subtitles, slide findings, summaries).

key -> (Indonesian, English); templates use ``str.format`` fields.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
}
