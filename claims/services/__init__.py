"""Writes other than the claim and verdict workflow, one module per concern:

- `articles`: submitting articles, their status, retries and re-runs of their jobs
- `ingestion`: the jobs' work: reading an article, storing what the extractor found
- `article_text`: decoding, cleaning and HTML-to-text, URL normalisation
- `speakers`: creating, resolving, editing and merging speakers
- `evidence`: evidence and comments on a claim
- `passages`: claims made by hand from an article's passage
- `reminders`: overdue-assignment e-mails

Views, the admin, the API, tasks and commands all call these functions; the common ones
are re-exported here (`services.article_submit`).
"""

from __future__ import annotations

from .article_text import check_size, decode_bytes, html_to_article, normalize_url
from .articles import (
    Submission,
    article_fail,
    article_note_retry,
    article_requeue_stuck,
    article_rerun_extraction,
    article_retry,
    article_submit,
)
from .evidence import comment_add, evidence_add, evidence_edit, evidence_remove
from .ingestion import article_extract, article_ingest
from .passages import claim_create_from_passage
from .reminders import overdue_reminders_send
from .speakers import speaker_create, speaker_edit, speaker_merge, speakers_resolve

__all__ = [
    "Submission",
    "article_extract",
    "article_fail",
    "article_ingest",
    "article_note_retry",
    "article_requeue_stuck",
    "article_rerun_extraction",
    "article_retry",
    "article_submit",
    "check_size",
    "claim_create_from_passage",
    "comment_add",
    "decode_bytes",
    "evidence_add",
    "evidence_edit",
    "evidence_remove",
    "html_to_article",
    "normalize_url",
    "overdue_reminders_send",
    "speaker_create",
    "speaker_edit",
    "speaker_merge",
    "speakers_resolve",
]
