"""Two people saving at the same moment, on real PostgreSQL connections: one wins, the other
is told, and nothing is silently overwritten."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims import workflow
from claims.errors import StaleEdit
from claims.models import Claim, Verdict

from .conftest import requires_postgres
from .factories import ClaimFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def race(*jobs) -> list[object]:
    """Run each job in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 (the outcome is what we test)
            results[i] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_people_saving_the_same_verdict_at_once(editor, reviewer):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    draft = workflow.verdict_save_draft(claim=claim, by=reviewer, rating=None, headline="v1", analysis="")
    seen = draft.version

    def save(person, headline):
        return lambda: workflow.verdict_save_draft(
            claim=Claim.objects.get(pk=claim.pk), by=person, rating=None, headline=headline, analysis="", version=seen
        )

    for _ in range(5):  # the race, several times over
        results = race(save(reviewer, "Rita's text"), save(editor, "Eve's text"))
        wins = [r for r in results if isinstance(r, Verdict)]
        conflicts = [r for r in results if isinstance(r, StaleEdit)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        stored = Verdict.objects.get(pk=draft.pk)
        assert stored.headline == wins[0].headline  # the winner's text is stored...
        assert conflicts[0].current.headline == stored.headline  # ...and the loser is shown it
        seen = stored.version


def test_two_editors_accepting_the_same_claim_at_once(editor, second_editor):
    claim = ClaimFactory()
    results = race(
        lambda: workflow.claim_accept(claim=Claim.objects.get(pk=claim.pk), by=editor),
        lambda: workflow.claim_accept(claim=Claim.objects.get(pk=claim.pk), by=second_editor),
    )
    assert sum(isinstance(r, Claim) for r in results) == 1
    assert sum(isinstance(r, StaleEdit) for r in results) == 1
    assert Claim.objects.get(pk=claim.pk).version == 2


def test_two_articles_naming_the_same_new_person_extracted_at_once(db):
    from claims import services
    from claims.models import Article, Speaker

    from .factories import ArticleFactory

    bodies = [
        f'"Unemployment fell to {n}.1% in March," Finance Minister Maria Kowalczyk told reporters on Monday.'
        for n in range(2, 8)
    ]
    articles = [ArticleFactory(body=body, status=Article.Status.EXTRACTING) for body in bodies]

    def extract(article):
        return lambda: services.article_extract(article=Article.objects.get(pk=article.pk))

    results = race(*(extract(a) for a in articles))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Speaker.objects.filter(name="Maria Kowalczyk").count() == 1
    assert Article.objects.filter(status="ready").count() == len(articles)
