"""People are told what happened to their work: under the bell and, if they want it, by
e-mail; once per event, after the commit, however often the job runs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from claims import notifications, tasks, workflow
from claims.models import Claim, Notification, NotificationPreference
from claims.services import evidence as workbench

from .builders import submit
from .factories import ClaimFactory
from .support import same_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_process")]


def run(capture, action):
    """Do `action`, then run the jobs it queued on commit; return what they were."""
    with capture(execute=True) as callbacks:
        result = action()
    return result, callbacks


@pytest.fixture
def assigned_and_notified(editor, reviewer, django_capture_on_commit_callbacks) -> Claim:
    """A claim Eve assigned to Rita, the assignment's notice delivered."""
    claim = ClaimFactory(text="Exports doubled in two years")
    workflow.claim_accept(claim=claim, by=editor)
    run(django_capture_on_commit_callbacks, lambda: workflow.claim_assign(claim=claim, by=editor, assignee=reviewer))
    return claim


def test_assignment_tells_the_reviewer_once_after_commit(editor, reviewer, django_capture_on_commit_callbacks):
    claim = ClaimFactory(text="Exports doubled in two years")
    workflow.claim_accept(claim=claim, by=editor)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    assert Notification.objects.count() == 0  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    callbacks[0]()  # the job delivered twice (a worker died after sending, say)
    (notice,) = Notification.objects.all()
    assert notice.recipient == reviewer and notice.event == "assigned" and notice.actor == editor
    assert f"Eve assigned you claim #{claim.pk}" in notice.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [reviewer.email]
    assert f"/notifications/{notice.pk}/" in mail.outbox[0].body


def test_a_transition_that_rolls_back_tells_nobody(editor, reviewer, django_capture_on_commit_callbacks):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
            raise RuntimeError("the request failed after the transition")
    assert callbacks == [] and Notification.objects.count() == 0 and mail.outbox == []


def test_changing_only_the_due_date_is_not_a_new_assignment(
    assigned_and_notified, editor, reviewer, django_capture_on_commit_callbacks
):
    run(
        django_capture_on_commit_callbacks,
        lambda: workflow.claim_assign(claim=assigned_and_notified, by=editor, assignee=reviewer, priority=3),
    )
    assert Notification.objects.filter(event="assigned").count() == 1


def test_submission_asks_every_editor_but_its_author_for_approval(
    assigned_and_notified, editor, second_editor, reviewer, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks, lambda: submit(assigned_and_notified, reviewer))
    asked = set(Notification.objects.filter(event="approval").values_list("recipient__username", flat=True))
    assert asked == {"eve", "ed"}


def test_return_publication_and_correction_reach_the_reviewer(
    assigned_and_notified, editor, second_editor, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    verdict, _ = run(capture, lambda: submit(assigned_and_notified, reviewer))
    run(capture, lambda: workflow.verdict_return(verdict=verdict, by=editor, comment="Source the 2021 figure."))
    verdict, _ = run(capture, lambda: submit(assigned_and_notified, reviewer))
    run(capture, lambda: workflow.verdict_approve(verdict=verdict, by=second_editor))
    run(
        capture,
        lambda: workflow.claim_reopen(claim=Claim.objects.get(pk=assigned_and_notified.pk), by=editor, reason="Typo"),
    )
    events = list(Notification.objects.filter(recipient=reviewer).order_by("pk").values_list("event", flat=True))
    assert events == ["assigned", "returned", "published", "correction"]
    assert Notification.objects.filter(recipient=second_editor, event="published").count() == 0  # not their own act


def test_a_comment_mentioning_someone_tells_them(
    assigned_and_notified, reviewer, other_reviewer, editor, django_capture_on_commit_callbacks
):
    body = "@ravi can you check the 2019 table? @nobody and mail@example.org are not people here."
    run(
        django_capture_on_commit_callbacks,
        lambda: workbench.comment_add(claim=assigned_and_notified, by=reviewer, body=body),
    )
    (notice,) = Notification.objects.filter(event="mention")
    assert notice.recipient == other_reviewer and "Rita mentioned you" in notice.message


def test_a_vote_names_its_panel(assigned_and_notified, editor, second_editor, django_capture_on_commit_callbacks):
    run(
        django_capture_on_commit_callbacks,
        lambda: notifications.event_notify(
            event="vote", claim=assigned_and_notified, by=editor, key="vote:test:1", recipients=[editor, second_editor]
        ),
    )
    assert list(Notification.objects.filter(event="vote").values_list("recipient__username", flat=True)) == ["ed"]


def test_a_person_chooses_which_notices_come_by_email(
    reviewer_client, editor, reviewer, django_capture_on_commit_callbacks
):
    page = reviewer_client.get(reverse("claims:notification_settings"))
    assert page.status_code == 200 and "A claim is assigned to me" in page.content.decode()
    response = reviewer_client.post(reverse("claims:notification_settings"), {"email_events": ["returned", "mention"]})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).email_events == ["returned", "mention"]
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    run(django_capture_on_commit_callbacks, lambda: workflow.claim_assign(claim=claim, by=editor, assignee=reviewer))
    assert Notification.objects.filter(recipient=reviewer).count() == 1  # under the bell…
    assert mail.outbox == []  # …but not by e-mail


def test_the_bell_counts_unread_and_opening_a_notice_reads_it(reviewer_client, assigned_and_notified, reviewer):
    html = reviewer_client.get("/").content.decode()
    assert '<span class="n" id="unread">1<span class="visually-hidden"> unread</span>' in html
    notice = Notification.objects.get()
    listing = reviewer_client.get(reverse("claims:notifications")).content.decode()
    assert notice.message in listing
    response = reviewer_client.get(reverse("claims:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("claims:claim", args=[assigned_and_notified.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'id="unread"' not in reviewer_client.get("/").content.decode()


def test_nobody_opens_another_persons_notice(other_reviewer_client, assigned_and_notified, other_reviewer):
    notice = Notification.objects.get()
    assert other_reviewer_client.get(reverse("claims:notification_open", args=[notice.pk])).status_code == 404


def test_mark_all_as_read(reviewer_client, reviewer, editor, django_capture_on_commit_callbacks):
    for _ in range(3):
        claim = ClaimFactory()
        workflow.claim_accept(claim=claim, by=editor)
        run(
            django_capture_on_commit_callbacks,
            lambda c=claim: workflow.claim_assign(claim=c, by=editor, assignee=reviewer),
        )
    response = reviewer_client.post(reverse("claims:notifications_read_all"), follow=True)
    assert "3 notices marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at=None).exists()


def test_the_notice_list_runs_the_same_queries_for_1_and_50(
    reviewer_client, reviewer, editor, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            Notification.objects.create(recipient=reviewer, event="mention", key=f"k{i}-{n}", actor=editor, message="m")

    same_count(
        reviewer_client,
        django_assert_num_queries,
        reverse("claims:notifications"),
        add,
        lambda r: len(r.context["page"].object_list),
    )


def test_the_job_run_again_for_a_delivered_event_adds_nothing(assigned_and_notified, reviewer):
    key = f"assigned:claim:{assigned_and_notified.pk}:v{assigned_and_notified.version}"
    assert tasks.deliver_notifications("assigned", assigned_and_notified.pk, None, key) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_comment_added_in_the_admin_mentions_too(editor_client, editor, reviewer, django_capture_on_commit_callbacks):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = editor_client.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
    prefix = next(
        f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == "Comment"
    )
    data.update({f"{prefix}-TOTAL_FORMS": 1, f"{prefix}-0-body": "@rita please look", f"{prefix}-0-claim": claim.pk})
    data["seen_version"] = claim.version
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Notification.objects.filter(recipient=reviewer, event="mention").count() == 1


def test_each_panel_vote_asks_the_editors_who_may_still_vote_once(
    assigned_and_notified, editor, second_editor, reviewer, django_capture_on_commit_callbacks
):
    from claims.models import EDITOR_GROUP, ApprovalPolicy

    from .factories import UserFactory

    capture = django_capture_on_commit_callbacks
    ann = UserFactory(username="ann", first_name="Ann", email="ann@example.org", groups=[EDITOR_GROUP])
    UserFactory(username="gone", groups=[EDITOR_GROUP], is_active=False)
    NotificationPreference.objects.create(user=ann, email_events=["assigned"])  # no vote e-mails for Ann
    ApprovalPolicy.objects.create(approvals_required=3, vote_on_rating=True, min_evidence=0)
    verdict, _ = run(capture, lambda: submit(assigned_and_notified, reviewer))
    mail.outbox.clear()

    def asked() -> list[tuple[str, str]]:
        rows = Notification.objects.filter(event="vote").order_by("pk")
        return list(rows.values_list("actor__username", "recipient__username"))

    run(capture, lambda: workflow.verdict_approve(verdict=verdict, by=second_editor))
    assert sorted(asked()) == [("ed", "ann"), ("ed", "eve")]  # not Ed, not the reviewer who wrote it
    notice = Notification.objects.get(event="vote", recipient=editor)
    assert notice.message.startswith(
        f"Ed voted on the verdict of claim #{assigned_and_notified.pk}; your vote is needed"
    )
    assert [m.to for m in mail.outbox] == [[editor.email]]  # Ann keeps vote notices out of her inbox
    assert "your vote is needed" in mail.outbox[0].body and "/notifications/" in mail.outbox[0].body
    run(capture, lambda: workflow.verdict_approve(verdict=verdict, by=second_editor, comment="Changed my mind"))
    assert len(asked()) == 2  # the same vote changed: nobody is asked twice
    run(capture, lambda: workflow.verdict_approve(verdict=verdict, by=ann))
    assert asked()[2:] == [("ann", "eve")]  # Ed voted already
    run(capture, lambda: workflow.verdict_approve(verdict=verdict, by=editor))
    assert len(asked()) == 3  # the vote that publishes asks nobody
    assert Notification.objects.filter(event="published", recipient=reviewer).count() == 1
