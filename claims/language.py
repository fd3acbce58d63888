"""Which language an article is written in (py3langid: a small, offline, pinned model)."""

from __future__ import annotations

MIN_CHARS = 40  # below this a guess is noise
SAMPLE_CHARS = 5000  # the opening of an article is plenty, and keeps detection fast


def language_detect(*, text: str, declared: str = "") -> str:
    """ISO 639-1 code of the text's language; the page's declared language (``lang="en-GB"``
    gives "en") when the text is too short to tell, else ""."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) >= MIN_CHARS:
        import py3langid  # imported on first use: it loads numpy and its model once

        code, _ = py3langid.classify(sample)
        return str(code)
    return declared.split("-")[0].split("_")[0].lower()[:16]
