"""Every field on every workbench page has a label, and no element id is used twice (a
label must find its own field)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Rating

from .factories import ArticleFactory, ClaimFactory, EvidenceFactory, QuoteFactory

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.fields: list[dict] = []
        self.in_label: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label":
            self.in_label.append(attrs.get("for"))
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.fields.append({**attrs, "_wrapped": bool(self.in_label)})

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label.pop()


def check(html: str) -> None:
    parser = Fields()
    parser.feed(html)
    twice = [i for i, n in Counter(parser.ids).items() if n > 1]
    assert not twice, f"ids used twice: {twice}"
    for field in parser.fields:
        named = field.get("id") in parser.labelled or field.get("aria-label") or field["_wrapped"]
        assert named, f"no label for {field}"


def test_every_field_has_a_label_and_ids_are_unique(client, editor, second_editor, reviewer):
    article = ArticleFactory(body="The mayor said the bridge cost 40 million euros.")
    QuoteFactory(article=article, start=4, end=20, text="mayor said the b")
    claim = ClaimFactory(article=article, start=15, end=30)
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    EvidenceFactory(claim=claim)
    ClaimFactory(article=article)  # a candidate for triage
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=Rating.objects.first(), headline="H", analysis=""
    )
    pages = [
        reverse("claims:queue"),
        reverse("claims:triage"),
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[article.pk]),
        reverse("claims:article_submit"),
        reverse("claims:search") + "?q=bridge",
    ]
    check(client.get(reverse("login")).content.decode())
    client.force_login(reviewer)
    check(client.get(reverse("claims:claim", args=[claim.pk])).content.decode())
    evidence = claim.evidence.get()
    check(client.get(reverse("claims:evidence_edit", args=[claim.pk, evidence.pk])).content.decode())
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    client.force_login(second_editor)  # sees every form: edit, assign, approve, return
    for url in pages:
        check(client.get(url).content.decode())
