"""Every read, one module per page or concern; each page's data in a fixed number of
queries, whatever the amount of data (tests assert the counts). Plain functions returning
querysets, rows or small dataclasses; the views stay thin.

- `queue`: my queue, triage and worklists
- `claim_page`, `history`: the claim page and a claim's history in words
- `article_page`: an article's text marked by quote, claim and speaker
- `speaker_page`: the public speaker page
- `search`: the workbench's search
- `dashboard`: the desk's figures
- `claimreview`: published fact-checks loaded for ClaimReview (API, public page, webhooks)
"""

from __future__ import annotations

from .article_page import (
    Legend,
    Segment,
    article_marks,
    articles_for_page,
    articles_for_progress,
    legend_speakers,
    recent_articles,
    speaker_colour,
)
from .claim_page import claim_context, claim_for_page, figures_stated_differently, open_verdict, published_verdict
from .history import Change, changes_since, claim_history
from .queue import (
    SCORE_BANDS,
    WORKLIST_PREVIEW,
    WORKLISTS,
    queue_claims,
    queue_counts,
    score_band,
    triage_claims,
    workbench_people,
    worklist_claims,
    worklist_counts,
)
from .speaker_page import PUBLIC_QUOTES, speaker_quotes_by_month, speaker_ratings

__all__ = [
    "PUBLIC_QUOTES",
    "SCORE_BANDS",
    "WORKLISTS",
    "WORKLIST_PREVIEW",
    "Change",
    "Legend",
    "Segment",
    "article_marks",
    "articles_for_page",
    "articles_for_progress",
    "legend_speakers",
    "recent_articles",
    "changes_since",
    "claim_context",
    "claim_for_page",
    "claim_history",
    "figures_stated_differently",
    "open_verdict",
    "published_verdict",
    "queue_claims",
    "queue_counts",
    "score_band",
    "speaker_colour",
    "speaker_quotes_by_month",
    "speaker_ratings",
    "triage_claims",
    "workbench_people",
    "worklist_claims",
    "worklist_counts",
]
