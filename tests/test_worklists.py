"""Home queues for every role: what waits for an editor (approval, returned, overdue,
candidates) and for a reviewer (assigned, returned with the editor's comment, due soon),
with their counts in the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim

from .builders import assign, submit
from .factories import ClaimFactory, SpeakerFactory
from .support import same_count

pytestmark = pytest.mark.django_db


def test_editor_home_lists_what_waits_with_counts_in_the_navigation(editor_client, editor, reviewer):
    ClaimFactory.create_batch(3, text="A candidate about tariffs")
    waiting = assign(ClaimFactory(text="Waiting for approval"), editor, reviewer)
    submit(waiting, reviewer)
    assign(
        ClaimFactory(text="Late claim"), editor, reviewer, due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    back = assign(ClaimFactory(text="Returned claim"), editor, reviewer)
    workflow.verdict_return(verdict=submit(back, reviewer), by=editor, comment="Which year is that?")
    response = editor_client.get("/")
    html = response.content.decode()
    assert "Nothing in your queue" not in html
    titles = [w["list"].name for w in response.context["worklists"]]
    assert titles == ["approval", "returned", "overdue", "candidates"]
    assert "Waiting for approval" in html and "Late claim" in html and "Which year is that?" in html
    assert '3<span class="visually-hidden"> candidates</span>' in html
    assert '1<span class="visually-hidden"> waiting</span>' in html
    assert f'href="{reverse("claims:worklist", args=["approval"])}"' in html


def test_an_editor_is_not_asked_to_approve_a_verdict_they_wrote(client, editor, second_editor):
    claim = assign(ClaimFactory(text="My own verdict"), editor, editor)
    submit(claim, editor)
    client.force_login(editor)
    assert "My own verdict" not in client.get(reverse("claims:worklist", args=["approval"])).content.decode()
    client.force_login(second_editor)
    assert "My own verdict" in client.get(reverse("claims:worklist", args=["approval"])).content.decode()


def test_reviewer_home_shows_returned_with_the_comment_and_due_soon(reviewer_client, editor, reviewer, other_reviewer):
    back = assign(ClaimFactory(text="Returned to Rita"), editor, reviewer)
    workflow.verdict_return(verdict=submit(back, reviewer), by=editor, comment="Add the census source.")
    soon = timezone.localdate() + datetime.timedelta(days=1)
    assign(ClaimFactory(text="Due tomorrow"), editor, reviewer, due_date=soon)
    assign(ClaimFactory(text="Ravi's, due tomorrow"), editor, other_reviewer, due_date=soon)
    response = reviewer_client.get("/")
    html = response.content.decode()
    assert [w["list"].name for w in response.context["worklists"]] == ["returned", "due-soon"]
    assert "eve wrote:</span> Add the census source." in html
    assert "Due tomorrow" in html and "Ravi&#x27;s" not in html
    assert "Approval" not in html  # no editors' lists in a reviewer's navigation


def test_a_reviewer_cannot_open_the_approval_list(reviewer_client, reviewer):
    response = reviewer_client.get(reverse("claims:worklist", args=["approval"]))
    assert response.status_code == 403 and "Only an editor" in response.content.decode()
    assert reviewer_client.get(reverse("claims:worklist", args=["nonsense"])).status_code == 404


def test_an_empty_home_still_says_well_done(reviewer_client, reviewer):
    assert "Nothing in your queue. Well done." in reviewer_client.get("/").content.decode()


def test_editor_home_runs_the_same_queries_for_1_and_50_of_each_list(
    editor_client, editor, second_editor, reviewer, django_assert_num_queries
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def add(n):
        for _ in range(n):
            ClaimFactory(speaker=SpeakerFactory())
            submit(assign(ClaimFactory(), second_editor, reviewer, due_date=yesterday), reviewer)
            workflow.verdict_return(
                verdict=submit(assign(ClaimFactory(), second_editor, reviewer), reviewer), by=second_editor, comment="c"
            )
            assign(ClaimFactory(), second_editor, editor)

    n = same_count(editor_client, django_assert_num_queries, "/", add, lambda r: len(r.context["page"].object_list))
    assert n <= 20


def test_worklist_pages_run_the_same_queries_for_1_and_50(editor_client, editor, reviewer, django_assert_num_queries):

    def add(n):
        for _ in range(n):
            back = assign(ClaimFactory(speaker=SpeakerFactory()), editor, reviewer)
            workflow.verdict_return(verdict=submit(back, reviewer), by=editor, comment="again")

    url = reverse("claims:worklist", args=["returned"])
    same_count(editor_client, django_assert_num_queries, url, add, lambda r: len(r.context["page"].object_list))


def test_the_approval_list_leaves_out_verdicts_the_editor_voted_on(client, editor, second_editor, reviewer):
    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=2, min_evidence=0)
    claim = assign(ClaimFactory(text="Needs two votes"), editor, reviewer)
    verdict = submit(claim, reviewer)
    workflow.verdict_approve(verdict=verdict, by=second_editor)
    client.force_login(second_editor)
    home = client.get("/")
    assert "Needs two votes" not in client.get(reverse("claims:worklist", args=["approval"])).content.decode()
    assert home.context["nav_counts"]["approval"] == 0 and "Needs two votes" not in home.content.decode()
    client.force_login(editor)
    assert "Needs two votes" in client.get(reverse("claims:worklist", args=["approval"])).content.decode()
    home = client.get("/")
    assert home.context["nav_counts"]["approval"] == 1 and "Needs two votes" in home.content.decode()
    # returned and resubmitted: the old vote is withdrawn and the verdict waits for Ed again
    workflow.verdict_return(verdict=verdict, by=editor, comment="Cite it")
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    client.force_login(second_editor)
    assert "Needs two votes" in client.get(reverse("claims:worklist", args=["approval"])).content.decode()


def test_the_approval_list_leaves_out_a_verdict_the_editor_helped_write(client, editor, second_editor, reviewer):
    from .factories import EvidenceFactory

    reworded = assign(ClaimFactory(text="Reworded by Ed"), editor, reviewer)
    sourced = assign(ClaimFactory(text="Sourced by Ed"), editor, reviewer)
    untouched = assign(ClaimFactory(text="Left to Rita"), editor, reviewer)
    for claim in (reworded, sourced, untouched):
        submit(claim, reviewer)
    workflow.claim_edit(claim=Claim.objects.get(pk=reworded.pk), by=second_editor, statement="A new wording")
    evidence = EvidenceFactory(claim=sourced)
    evidence._history_user = second_editor
    evidence.save()
    client.force_login(second_editor)
    page = client.get(reverse("claims:worklist", args=["approval"])).content.decode()
    assert "Left to Rita" in page and "Reworded by Ed" not in page and "Sourced by Ed" not in page
    assert client.get("/").context["nav_counts"]["approval"] == 1
    for claim in (reworded, sourced, untouched):  # the list agrees with the four-eyes rule
        verdict = claim.verdicts.get(state="submitted")
        assert (workflow.approval_refusal(verdict, second_editor) is None) == (claim.pk == untouched.pk)
    client.force_login(editor)
    assert client.get("/").context["nav_counts"]["approval"] == 3
