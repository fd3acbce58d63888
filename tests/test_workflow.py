"""The claim and verdict state machine: every legal move, every refusal, no lost update."""

from __future__ import annotations

import pytest

from claims import workflow
from claims.errors import IllegalTransition, NotAllowed, StaleEdit
from claims.models import Claim, Comment, Rating, Verdict

from .factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
S = Claim.Status


def rating(slug: str = "false") -> Rating:
    return Rating.objects.get(slug=slug)


@pytest.fixture
def assigned(editor, reviewer) -> Claim:
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    return workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)


@pytest.fixture
def submitted(assigned, reviewer) -> Verdict:
    verdict = workflow.verdict_save_draft(
        claim=assigned, by=reviewer, rating=rating(), headline="No, it rose", analysis="Figures show a rise."
    )
    return workflow.verdict_submit(verdict=verdict, by=reviewer)


@pytest.fixture
def published(submitted, second_editor) -> Verdict:
    return workflow.verdict_approve(verdict=submitted, by=second_editor)


def test_editor_accepts_a_candidate_and_history_records_who(editor):
    claim = ClaimFactory()
    workflow.claim_accept(claim=claim, by=editor)
    claim.refresh_from_db()
    assert claim.status == S.ACCEPTED
    assert claim.version == 2
    last = claim.history.first()
    assert (last.history_user, last.history_change_reason) == (editor, "accepted")


def test_editor_dismisses_a_candidate(editor):
    claim = workflow.claim_dismiss(claim=ClaimFactory(), by=editor)
    assert claim.status == S.DISMISSED


def test_reviewer_cannot_accept_or_dismiss(reviewer):
    claim = ClaimFactory()
    with pytest.raises(NotAllowed, match="Only an editor"):
        workflow.claim_accept(claim=claim, by=reviewer)
    with pytest.raises(NotAllowed):
        workflow.claim_dismiss(claim=claim, by=reviewer)
    claim.refresh_from_db()
    assert claim.status == S.CANDIDATE


def test_accepting_twice_is_refused_with_the_current_state(editor):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    with pytest.raises(IllegalTransition, match="it is accepted"):
        workflow.claim_accept(claim=claim, by=editor)


def test_a_dismissed_claim_cannot_be_assigned(editor, reviewer):
    claim = workflow.claim_dismiss(claim=ClaimFactory(), by=editor)
    with pytest.raises(IllegalTransition, match="dismissed"):
        workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)


def test_a_candidate_must_be_accepted_before_assignment(editor, reviewer):
    with pytest.raises(IllegalTransition, match="candidate"):
        workflow.claim_assign(claim=ClaimFactory(), by=editor, assignee=reviewer)


def test_editor_assigns_with_due_date_and_priority(assigned, reviewer, editor):
    import datetime

    claim = workflow.claim_assign(
        claim=assigned, by=editor, assignee=reviewer, due_date=datetime.date(2030, 1, 2), priority=3
    )
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.priority) == (S.ASSIGNED, reviewer, 3)
    assert claim.due_date == datetime.date(2030, 1, 2)


def test_assignment_time_is_kept_until_the_claim_changes_hands(editor, reviewer, other_reviewer):
    import datetime

    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    claim = workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    first = Claim.objects.get(pk=claim.pk).assigned_at
    assert first is not None

    claim = workflow.claim_assign(claim=claim, by=editor, assignee=reviewer, due_date=datetime.date(2030, 1, 2))
    assert Claim.objects.get(pk=claim.pk).assigned_at == first  # a new due date is not a new assignment

    workflow.claim_assign(claim=claim, by=editor, assignee=other_reviewer)
    assert Claim.objects.get(pk=claim.pk).assigned_at > first


def test_claims_can_only_go_to_reviewers_or_editors(editor, outsider, partner):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    for person in (outsider, partner):
        with pytest.raises(IllegalTransition, match="not an active reviewer"):
            workflow.claim_assign(claim=claim, by=editor, assignee=person)


def test_reviewer_cannot_assign(reviewer, editor):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    with pytest.raises(NotAllowed):
        workflow.claim_assign(claim=claim, by=reviewer, assignee=reviewer)


def test_assigned_reviewer_starts_review(assigned, reviewer):
    assert workflow.claim_start_review(claim=assigned, by=reviewer).status == S.IN_REVIEW


def test_another_reviewer_cannot_start_or_draft(assigned, other_reviewer):
    with pytest.raises(NotAllowed):
        workflow.claim_start_review(claim=assigned, by=other_reviewer)
    with pytest.raises(NotAllowed):
        workflow.verdict_save_draft(claim=assigned, by=other_reviewer, rating=None, headline="x", analysis="")


def test_saving_a_draft_starts_the_review_and_updates_in_place(assigned, reviewer):
    verdict = workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=None, headline="First", analysis="")
    again = workflow.verdict_save_draft(
        claim=assigned, by=reviewer, rating=rating(), headline="Second", analysis="", version=verdict.version
    )
    assert again.pk == verdict.pk
    assert Verdict.objects.get(pk=verdict.pk).headline == "Second"
    assert Claim.objects.get(pk=assigned.pk).status == S.IN_REVIEW


def test_a_verdict_needs_a_rating_and_headline_to_be_submitted(assigned, reviewer):
    verdict = workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=None, headline="Rose", analysis="")
    with pytest.raises(IllegalTransition, match="Choose a rating"):
        workflow.verdict_submit(verdict=verdict, by=reviewer)


def test_reviewer_submits_for_approval(submitted):
    submitted.refresh_from_db()
    assert submitted.state == Verdict.State.SUBMITTED
    assert submitted.submitted_at is not None
    assert submitted.claim.status == S.SUBMITTED


def test_a_submitted_verdict_cannot_be_edited_or_submitted_again(submitted, reviewer):
    with pytest.raises(IllegalTransition, match="it is submitted"):
        workflow.verdict_save_draft(claim=submitted.claim, by=reviewer, rating=None, headline="x", analysis="")
    with pytest.raises(IllegalTransition):
        workflow.verdict_submit(verdict=submitted, by=reviewer)


def test_reviewer_cannot_approve_own_verdict(submitted, reviewer):
    with pytest.raises(NotAllowed, match="Only an editor"):
        workflow.verdict_approve(verdict=submitted, by=reviewer)


def test_editor_cannot_approve_a_verdict_they_wrote(editor, second_editor):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=editor)
    verdict = workflow.verdict_save_draft(claim=claim, by=editor, rating=rating(), headline="H", analysis="")
    workflow.verdict_submit(verdict=verdict, by=editor)
    with pytest.raises(NotAllowed, match="another editor must approve"):
        workflow.verdict_approve(verdict=verdict, by=editor)
    assert workflow.verdict_approve(verdict=verdict, by=second_editor).state == Verdict.State.PUBLISHED


def test_editor_who_last_edited_the_text_cannot_approve_it(assigned, reviewer, editor, second_editor):
    workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=rating(), headline="H", analysis="")
    verdict = workflow.verdict_save_draft(claim=assigned, by=editor, rating=rating(), headline="H2", analysis="")
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    with pytest.raises(NotAllowed):
        workflow.verdict_approve(verdict=verdict, by=editor)
    workflow.verdict_approve(verdict=verdict, by=second_editor)


def test_approval_publishes_and_freezes_the_evidence(submitted, second_editor):
    EvidenceFactory(claim=submitted.claim, url="https://data.example.org/a", title="Table A")
    verdict = workflow.verdict_approve(verdict=submitted, by=second_editor)
    EvidenceFactory(claim=submitted.claim, url="https://data.example.org/b", title="Added later")
    verdict.refresh_from_db()
    claim = Claim.objects.get(pk=submitted.claim_id)
    assert (verdict.state, verdict.approver, claim.status) == (Verdict.State.PUBLISHED, second_editor, S.PUBLISHED)
    assert verdict.published_at is not None
    assert [e["title"] for e in verdict.evidence_snapshot] == ["Table A"]
    assert claim.slug and claim.slug.endswith(f"-{claim.pk}")


def test_editor_returns_a_verdict_with_a_comment(submitted, second_editor, reviewer):
    workflow.verdict_return(verdict=submitted, by=second_editor, comment="Cite the 2023 table.")
    submitted.refresh_from_db()
    assert submitted.state == Verdict.State.RETURNED
    assert Claim.objects.get(pk=submitted.claim_id).status == S.IN_REVIEW
    assert Comment.objects.get(claim=submitted.claim).body == "Cite the 2023 table."
    # the reviewer reworks the same verdict and submits again
    again = workflow.verdict_save_draft(
        claim=submitted.claim, by=reviewer, rating=rating(), headline="Fixed", analysis="", version=submitted.version
    )
    assert again.pk == submitted.pk
    workflow.verdict_submit(verdict=again, by=reviewer)


def test_returning_needs_a_reason_and_an_editor(submitted, second_editor, reviewer):
    with pytest.raises(IllegalTransition, match="comment is empty"):
        workflow.verdict_return(verdict=submitted, by=second_editor, comment="  ")
    with pytest.raises(NotAllowed):
        workflow.verdict_return(verdict=submitted, by=reviewer, comment="no")


def test_a_draft_cannot_be_approved_or_returned(assigned, reviewer, second_editor):
    draft = workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=rating(), headline="H", analysis="")
    with pytest.raises(IllegalTransition, match="draft"):
        workflow.verdict_approve(verdict=draft, by=second_editor)
    with pytest.raises(IllegalTransition):
        workflow.verdict_return(verdict=draft, by=second_editor, comment="x")


def test_correction_keeps_the_published_version_until_the_new_one_is_approved(published, editor, reviewer):
    claim = Claim.objects.get(pk=published.claim_id)
    draft = workflow.claim_reopen(claim=claim, by=editor, reason="The 2023 figure was revised.")
    assert (draft.revision, draft.state, draft.headline) == (2, Verdict.State.DRAFT, published.headline)
    assert Verdict.objects.published().get(claim=claim).pk == published.pk  # still public
    draft = workflow.verdict_save_draft(
        claim=draft.claim,
        by=reviewer,
        rating=rating("half-true"),
        headline="Corrected",
        analysis="",
        version=draft.version,
    )
    workflow.verdict_submit(verdict=draft, by=reviewer)
    workflow.verdict_approve(verdict=draft, by=editor)
    published.refresh_from_db()
    assert published.state == Verdict.State.SUPERSEDED
    assert Verdict.objects.published().get(claim=claim).headline == "Corrected"
    assert Claim.objects.get(pk=claim.pk).slug == claim.slug  # the public address stays


def test_only_published_claims_can_be_corrected_and_only_with_a_reason(assigned, published, editor, reviewer):
    with pytest.raises(IllegalTransition, match="assigned"):
        workflow.claim_reopen(claim=ClaimFactory(status=S.ASSIGNED), by=editor, reason="x")
    claim = Claim.objects.get(pk=published.claim_id)
    with pytest.raises(IllegalTransition, match="reason is empty"):
        workflow.claim_reopen(claim=claim, by=editor, reason="")
    with pytest.raises(NotAllowed):
        workflow.claim_reopen(claim=claim, by=reviewer, reason="x")


def test_duplicates_point_at_the_root_claim(editor):
    root, middle, late = ClaimFactory(), ClaimFactory(), ClaimFactory()
    workflow.claim_mark_duplicate(claim=middle, by=editor, original=root)
    workflow.claim_mark_duplicate(claim=late, by=editor, original=Claim.objects.get(pk=middle.pk))
    late.refresh_from_db()
    assert (late.status, late.duplicate_of_id) == (S.DUPLICATE, root.pk)


def test_a_claim_cannot_duplicate_itself_or_be_marked_twice(editor, reviewer):
    claim, other = ClaimFactory(), ClaimFactory()
    with pytest.raises(IllegalTransition, match="itself"):
        workflow.claim_mark_duplicate(claim=claim, by=editor, original=claim)
    workflow.claim_mark_duplicate(claim=claim, by=editor, original=other)
    with pytest.raises(IllegalTransition, match="duplicate"):
        workflow.claim_mark_duplicate(claim=claim, by=editor, original=other)
    with pytest.raises(NotAllowed):
        workflow.claim_mark_duplicate(claim=other, by=reviewer, original=claim)


def test_a_stale_edit_is_refused_and_names_who_changed_it(editor, second_editor):
    claim = ClaimFactory()
    eves_copy = Claim.objects.get(pk=claim.pk)
    eds_copy = Claim.objects.get(pk=claim.pk)
    workflow.claim_edit(claim=eds_copy, by=second_editor, text="Ed's wording")
    with pytest.raises(StaleEdit) as caught:
        workflow.claim_edit(claim=eves_copy, by=editor, text="Eve's wording")
    assert caught.value.changed_by == second_editor
    assert "ed" in caught.value.message
    assert Claim.objects.get(pk=claim.pk).text == "Ed's wording"  # nothing overwritten


def test_two_reviewers_saving_the_same_draft_do_not_overwrite_each_other(assigned, reviewer, editor):
    draft = workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=None, headline="v1", analysis="")
    seen = draft.version
    workflow.verdict_save_draft(claim=assigned, by=reviewer, rating=None, headline="Rita v2", analysis="", version=seen)
    with pytest.raises(StaleEdit):
        workflow.verdict_save_draft(
            claim=assigned, by=editor, rating=None, headline="Eve v2", analysis="", version=seen
        )
    assert Verdict.objects.get(pk=draft.pk).headline == "Rita v2"


def test_a_transition_from_an_old_copy_is_refused(editor):
    claim = ClaimFactory()
    old_copy = Claim.objects.get(pk=claim.pk)
    workflow.claim_dismiss(claim=claim, by=editor)
    with pytest.raises((StaleEdit, IllegalTransition)):
        workflow.claim_accept(claim=old_copy, by=editor)
    assert Claim.objects.get(pk=claim.pk).status == S.DISMISSED


def test_reviewer_can_edit_only_assigned_claims(assigned, reviewer, other_reviewer):
    workflow.claim_edit(claim=assigned, by=reviewer, text="Clarified wording")
    with pytest.raises(NotAllowed):
        workflow.claim_edit(claim=Claim.objects.get(pk=assigned.pk), by=other_reviewer, text="mine")
