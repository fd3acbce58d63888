"""The Atom feed of published fact-checks and corrections."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from ..models import FactCheck, Verdict
from ..publishing.claimreview import page_url
from ..queries.public_pages import (
    published_fact_checks,
)
from .views import as_checked


class FactCheckFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self) -> str:
        return f"{settings.PUBLISHER_NAME}: fact-checks"

    def link(self) -> str:
        return reverse("public:index")

    def subtitle(self) -> str:
        return "The latest published fact-checks and corrections."

    def items(self) -> list[FactCheck]:
        return list(published_fact_checks().order_by("-changed_at", "-claim_id")[:50])

    def item_title(self, item: FactCheck) -> str:
        verdict = cast(Verdict, item.verdict)  # the feed lists published fact-checks only
        rating = verdict.rating.label if verdict.rating else "Unrated"
        headline = verdict.headline or as_checked(item)["statement"][:120]
        if headline.lower().startswith(rating.lower()):  # "Misleading: …" already says it
            return headline
        return f"{rating}: {headline}"

    def item_description(self, item: FactCheck) -> str:
        # Atom summaries are typed HTML (Django's Atom1Feed), so feed readers render them:
        # speaker names and claim texts are escaped as HTML, not only for XML.
        speaker = item.claim.speaker.name if item.claim.speaker else "Claim"
        return escape(f"{speaker}: “{as_checked(item)['statement']}”")

    def item_link(self, item: FactCheck) -> str:
        return reverse("public:fact_check", args=[item.claim.slug])

    def item_guid(self, item: FactCheck) -> str:
        return page_url(cast(str, item.claim.slug))

    item_guid_is_permalink = True

    def item_pubdate(self, item: FactCheck):
        return item.first_published_at

    def item_updateddate(self, item: FactCheck):
        return item.changed_at
