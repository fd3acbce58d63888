"""The workbench's data, one module per concern; everything hangs off `Claim`.

- `articles`: articles and the quotes found in them
- `speakers`: speakers and their aliases
- `claims`: claims, evidence, comments, matches with earlier claims
- `verdicts`: the rating scale, verdict versions, approval policy and votes
- `publishing`: the public record of each fact-check (`FactCheck`)
- `partners`: partners, API keys, webhook endpoints and deliveries
- `external`: other fact-checkers' ClaimReview items and links to ours
- `notifications`: notices to the desk
- `sources`: feeds and sitemaps polled for new articles

Writes with rules live in `claims.workflow` (claim and verdict states) and `claims.services`;
reads live in `claims.queries`. Import models from here: `from claims.models import Claim`.
"""

from __future__ import annotations

from ..roles import EDITOR_GROUP, PARTNER_GROUP, REVIEWER_GROUP
from .articles import Article, Origin, Quote
from .claims import Claim, ClaimMatch, ClaimQuerySet, Comment, Evidence
from .external import ClaimReviewImport, ExternalFactCheck, ExternalMatch
from .notifications import Notification, NotificationPreference
from .partners import Partner, PartnerAPIKey, WebhookDelivery, WebhookEndpoint
from .publishing import PARTNER_FIELDS, FactCheck, FactCheckQuerySet
from .sources import Source, SourceItem, SourceQuerySet
from .speakers import Speaker, SpeakerAlias, normalize_name
from .verdicts import ApprovalPolicy, Rating, Verdict, VerdictQuerySet, VerdictVote

__all__ = [
    "EDITOR_GROUP",
    "PARTNER_GROUP",
    "REVIEWER_GROUP",
    "PARTNER_FIELDS",
    "ApprovalPolicy",
    "Article",
    "Claim",
    "ClaimMatch",
    "ClaimQuerySet",
    "ClaimReviewImport",
    "Comment",
    "Evidence",
    "ExternalFactCheck",
    "ExternalMatch",
    "FactCheck",
    "FactCheckQuerySet",
    "Notification",
    "NotificationPreference",
    "Origin",
    "Partner",
    "PartnerAPIKey",
    "Quote",
    "Rating",
    "Source",
    "SourceItem",
    "SourceQuerySet",
    "Speaker",
    "SpeakerAlias",
    "Verdict",
    "VerdictQuerySet",
    "VerdictVote",
    "WebhookDelivery",
    "WebhookEndpoint",
    "normalize_name",
]
