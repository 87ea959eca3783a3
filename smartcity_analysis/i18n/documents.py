"""Words and sentence templates of the Word documents (masterplan books).

key -> (Indonesian, English); templates use ``str.format`` fields.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
}
