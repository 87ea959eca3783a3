"""Words and explanations of the statistical audit.

key -> (Indonesian, English); templates use ``str.format`` fields.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
}
