"""Header text matching: staff retype, widen and re-case headers, so match by meaning, not bytes."""

from __future__ import annotations

import unicodedata


def normalise(text: object) -> str:
    """Trimmed, NFKC (full-width -> half-width), case-folded, inner whitespace collapsed.

    >>> normalise("  ＩＤ ") == normalise("id")
    True
    """
    folded = unicodedata.normalize("NFKC", str(text if text is not None else "")).casefold()
    return " ".join(folded.split())
