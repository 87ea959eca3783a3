"""Prose of the notebooks and the HTML report.

key -> (Indonesian, English); templates use ``str.format`` fields.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
}
