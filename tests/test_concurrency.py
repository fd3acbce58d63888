"""Two people saving at the same moment, on real PostgreSQL connections: one wins, the other
is told, and nothing is silently overwritten."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims import workflow
from claims.errors import StaleEdit
from claims.models import Claim, Verdict

from .factories import ClaimFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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


def test_two_people_writing_the_first_draft_at_once(editor, reviewer):
    """No draft yet: both forms carry version 0. The claim's row lock lets one create the
    draft; the other is told who did, and is shown their draft, instead of overwriting it."""
    from claims.errors import StaleEdit as Stale

    for n in range(5):  # the race, several times over, each on a fresh claim
        claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
        workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)

        def first_draft(person, headline, pk=claim.pk):
            return lambda: workflow.verdict_save_draft(
                claim=Claim.objects.get(pk=pk), by=person, rating=None, headline=headline, analysis="", version=0
            )

        results = race(first_draft(reviewer, f"Rita's first {n}"), first_draft(editor, f"Eve's first {n}"))
        wins = [r for r in results if isinstance(r, Verdict)]
        conflicts = [r for r in results if isinstance(r, Stale)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        [stored] = Verdict.objects.filter(claim=claim)
        assert stored.headline == wins[0].headline and conflicts[0].current.pk == stored.pk


def test_two_editors_marking_each_other_duplicates_at_once_make_no_loop(editor, second_editor):
    """A of B and B of A at the same moment: both claims are locked, so the second sees the
    first's link and is refused with a message; there is never a loop to walk."""
    from claims.errors import IllegalTransition

    for _ in range(8):
        a, b = ClaimFactory(), ClaimFactory()
        results = race(
            lambda a=a, b=b: workflow.claim_mark_duplicate(
                claim=Claim.objects.get(pk=a.pk), by=editor, original=Claim.objects.get(pk=b.pk)
            ),
            lambda a=a, b=b: workflow.claim_mark_duplicate(
                claim=Claim.objects.get(pk=b.pk), by=second_editor, original=Claim.objects.get(pk=a.pk)
            ),
        )
        assert sum(isinstance(r, Claim) for r in results) == 1, results
        [refused] = [r for r in results if isinstance(r, Exception)]
        assert isinstance(refused, IllegalTransition) and "loop" in refused.message
        links = dict(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "duplicate_of_id"))
        assert None in links.values()  # one of them is still an original
