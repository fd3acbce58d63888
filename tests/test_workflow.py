"""The claim and verdict state machine: every legal move, every refusal, no lost update."""

from __future__ import annotations

import pytest

from claims import workflow
from claims.errors import IllegalTransition, NotAllowed, StaleEdit
from claims.models import Claim, Comment, FactCheck, Rating, Verdict

from .builders import rating
from .factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
S = Claim.Status


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


def test_editor_assigns_with_due_date_and_priority(assigned_claim, reviewer, editor):
    import datetime

    claim = workflow.claim_assign(
        claim=assigned_claim, by=editor, assignee=reviewer, due_date=datetime.date(2030, 1, 2), priority=3
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


def test_assigned_reviewer_starts_review(assigned_claim, reviewer):
    assert workflow.claim_start_review(claim=assigned_claim, by=reviewer).status == S.IN_REVIEW


def test_another_reviewer_cannot_start_or_draft(assigned_claim, other_reviewer):
    with pytest.raises(NotAllowed):
        workflow.claim_start_review(claim=assigned_claim, by=other_reviewer)
    with pytest.raises(NotAllowed):
        workflow.verdict_save_draft(claim=assigned_claim, by=other_reviewer, rating=None, headline="x", analysis="")


def test_saving_a_draft_starts_the_review_and_updates_in_place(assigned_claim, reviewer):
    verdict = workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=None, headline="First", analysis="")
    again = workflow.verdict_save_draft(
        claim=assigned_claim, by=reviewer, rating=rating(), headline="Second", analysis="", version=verdict.version
    )
    assert again.pk == verdict.pk
    assert Verdict.objects.get(pk=verdict.pk).headline == "Second"
    assert Claim.objects.get(pk=assigned_claim.pk).status == S.IN_REVIEW


def test_a_verdict_needs_a_rating_and_headline_to_be_submitted(assigned_claim, reviewer):
    verdict = workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=None, headline="Rose", analysis="")
    with pytest.raises(IllegalTransition, match="Choose a rating"):
        workflow.verdict_submit(verdict=verdict, by=reviewer)


def test_reviewer_submits_for_approval(submitted_verdict):
    submitted_verdict.refresh_from_db()
    assert submitted_verdict.state == Verdict.State.SUBMITTED
    assert submitted_verdict.submitted_at is not None
    assert submitted_verdict.claim.status == S.SUBMITTED


def test_a_submitted_verdict_cannot_be_edited_or_submitted_again(submitted_verdict, reviewer):
    with pytest.raises(IllegalTransition, match="it is submitted"):
        workflow.verdict_save_draft(claim=submitted_verdict.claim, by=reviewer, rating=None, headline="x", analysis="")
    with pytest.raises(IllegalTransition):
        workflow.verdict_submit(verdict=submitted_verdict, by=reviewer)


def test_reviewer_cannot_approve_own_verdict(submitted_verdict, reviewer):
    with pytest.raises(NotAllowed, match="Only an editor"):
        workflow.verdict_approve(verdict=submitted_verdict, by=reviewer)


def test_editor_cannot_approve_a_verdict_they_wrote(editor, second_editor):
    claim = workflow.claim_accept(claim=ClaimFactory(), by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=editor)
    verdict = workflow.verdict_save_draft(claim=claim, by=editor, rating=rating(), headline="H", analysis="")
    workflow.verdict_submit(verdict=verdict, by=editor)
    with pytest.raises(NotAllowed, match="another editor must approve"):
        workflow.verdict_approve(verdict=verdict, by=editor)
    assert workflow.verdict_approve(verdict=verdict, by=second_editor).state == Verdict.State.PUBLISHED


def test_a_verdict_written_as_published_without_approval_is_not_made_public(editor, reviewer):
    """Only approval publishes: a row saved as published some other way (a script, the shell)
    gets no public record, so partners and the public never see it."""
    claim = ClaimFactory(status=Claim.Status.PUBLISHED)
    Verdict.objects.create(
        claim=claim, rating=rating(), headline="H", analysis="A", author=reviewer, state=Verdict.State.PUBLISHED
    )
    assert not FactCheck.objects.filter(claim=claim).exists()


def test_approval_writes_the_public_record(submitted_verdict, second_editor):
    verdict = workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    record = FactCheck.objects.get(claim_id=verdict.claim_id)
    assert (record.verdict_id, record.status) == (verdict.pk, FactCheck.Status.PUBLISHED)


def test_editor_who_last_edited_the_text_cannot_approve_it(assigned_claim, reviewer, editor, second_editor):
    workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=rating(), headline="H", analysis="")
    verdict = workflow.verdict_save_draft(claim=assigned_claim, by=editor, rating=rating(), headline="H2", analysis="")
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    with pytest.raises(NotAllowed):
        workflow.verdict_approve(verdict=verdict, by=editor)
    workflow.verdict_approve(verdict=verdict, by=second_editor)


def test_approval_publishes_and_freezes_the_evidence(submitted_verdict, second_editor):
    EvidenceFactory(claim=submitted_verdict.claim, url="https://data.example.org/a", title="Table A")
    verdict = workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    EvidenceFactory(claim=submitted_verdict.claim, url="https://data.example.org/b", title="Added later")
    verdict.refresh_from_db()
    claim = Claim.objects.get(pk=submitted_verdict.claim_id)
    assert (verdict.state, verdict.approver, claim.status) == (Verdict.State.PUBLISHED, second_editor, S.PUBLISHED)
    assert verdict.published_at is not None
    assert [e["title"] for e in verdict.evidence_snapshot] == ["Table A"]
    assert claim.slug and claim.slug.endswith(f"-{claim.pk}")


def test_editor_returns_a_verdict_with_a_comment(submitted_verdict, second_editor, reviewer):
    workflow.verdict_return(verdict=submitted_verdict, by=second_editor, comment="Cite the 2023 table.")
    submitted_verdict.refresh_from_db()
    assert submitted_verdict.state == Verdict.State.RETURNED
    assert Claim.objects.get(pk=submitted_verdict.claim_id).status == S.IN_REVIEW
    assert Comment.objects.get(claim=submitted_verdict.claim).body == "Cite the 2023 table."
    # the reviewer reworks the same verdict and submits again
    again = workflow.verdict_save_draft(
        claim=submitted_verdict.claim,
        by=reviewer,
        rating=rating(),
        headline="Fixed",
        analysis="",
        version=submitted_verdict.version,
    )
    assert again.pk == submitted_verdict.pk
    workflow.verdict_submit(verdict=again, by=reviewer)


def test_returning_needs_a_reason_and_an_editor(submitted_verdict, second_editor, reviewer):
    with pytest.raises(IllegalTransition, match="comment is empty"):
        workflow.verdict_return(verdict=submitted_verdict, by=second_editor, comment="  ")
    with pytest.raises(NotAllowed):
        workflow.verdict_return(verdict=submitted_verdict, by=reviewer, comment="no")


def test_a_draft_cannot_be_approved_or_returned(assigned_claim, reviewer, second_editor):
    draft = workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=rating(), headline="H", analysis="")
    with pytest.raises(IllegalTransition, match="draft"):
        workflow.verdict_approve(verdict=draft, by=second_editor)
    with pytest.raises(IllegalTransition):
        workflow.verdict_return(verdict=draft, by=second_editor, comment="x")


def test_correction_keeps_the_published_version_until_the_new_one_is_approved(published_verdict, editor, reviewer):
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    draft = workflow.claim_reopen(claim=claim, by=editor, reason="The 2023 figure was revised.")
    assert (draft.revision, draft.state, draft.headline) == (2, Verdict.State.DRAFT, published_verdict.headline)
    assert Verdict.objects.published().get(claim=claim).pk == published_verdict.pk  # still public
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
    published_verdict.refresh_from_db()
    assert published_verdict.state == Verdict.State.SUPERSEDED
    assert Verdict.objects.published().get(claim=claim).headline == "Corrected"
    assert Claim.objects.get(pk=claim.pk).slug == claim.slug  # the public address stays


def test_only_published_claims_can_be_corrected_and_only_with_a_reason(
    assigned_claim, published_verdict, editor, reviewer
):
    with pytest.raises(IllegalTransition, match="assigned"):
        workflow.claim_reopen(claim=ClaimFactory(status=S.ASSIGNED), by=editor, reason="x")
    claim = Claim.objects.get(pk=published_verdict.claim_id)
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


def test_two_reviewers_saving_the_same_draft_do_not_overwrite_each_other(assigned_claim, reviewer, editor):
    draft = workflow.verdict_save_draft(claim=assigned_claim, by=reviewer, rating=None, headline="v1", analysis="")
    seen = draft.version
    workflow.verdict_save_draft(
        claim=assigned_claim, by=reviewer, rating=None, headline="Rita v2", analysis="", version=seen
    )
    with pytest.raises(StaleEdit):
        workflow.verdict_save_draft(
            claim=assigned_claim, by=editor, rating=None, headline="Eve v2", analysis="", version=seen
        )
    assert Verdict.objects.get(pk=draft.pk).headline == "Rita v2"


def test_a_transition_from_an_old_copy_is_refused(editor):
    claim = ClaimFactory()
    old_copy = Claim.objects.get(pk=claim.pk)
    workflow.claim_dismiss(claim=claim, by=editor)
    with pytest.raises((StaleEdit, IllegalTransition)):
        workflow.claim_accept(claim=old_copy, by=editor)
    assert Claim.objects.get(pk=claim.pk).status == S.DISMISSED


def test_reviewer_can_edit_only_assigned_claims(assigned_claim, reviewer, other_reviewer):
    workflow.claim_edit(claim=assigned_claim, by=reviewer, text="Clarified wording")
    with pytest.raises(NotAllowed):
        workflow.claim_edit(claim=Claim.objects.get(pk=assigned_claim.pk), by=other_reviewer, text="mine")


# Corrections: a published claim changes only through approval ---------------------------


def test_editing_a_published_claim_opens_a_correction_and_keeps_the_published_version(published_verdict, reviewer):
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    workflow.claim_edit(claim=claim, by=reviewer, statement="Unemployment fell to 4% in May")
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    draft = Verdict.objects.get(claim=claim, state=Verdict.State.DRAFT)
    assert (draft.revision, draft.last_edited_by) == (2, reviewer)
    assert Verdict.objects.get(pk=published_verdict.pk).state == Verdict.State.PUBLISHED  # still the public one
    assert Comment.objects.filter(claim=claim, body__startswith="Correction: the claim was edited").exists()


def test_changing_priority_of_a_published_claim_is_not_a_correction(published_verdict, editor):
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    workflow.claim_edit(claim=claim, by=editor, priority=Claim.Priority.HIGH)
    assert Claim.objects.get(pk=claim.pk).status == S.PUBLISHED


def test_evidence_changes_on_a_published_claim_open_a_correction(submitted_verdict, second_editor, reviewer):
    from claims.services import evidence as workbench

    EvidenceFactory(claim=submitted_verdict.claim, title="Table A")
    published_verdict = workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    evidence = claim.evidence.get()
    workbench.evidence_edit(evidence=evidence, by=reviewer, version=evidence.version, title="Renamed")
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    assert [e["title"] for e in Verdict.objects.get(pk=published_verdict.pk).evidence_snapshot] == ["Table A"]


def test_a_correction_cannot_be_approved_by_the_editor_who_changed_the_claim(published_verdict, editor, second_editor):
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    workflow.claim_edit(claim=claim, by=second_editor, statement="Reworded by Ed")
    draft = Verdict.objects.get(claim=claim, state=Verdict.State.DRAFT)
    workflow.verdict_submit(verdict=draft, by=editor)
    with pytest.raises(NotAllowed, match="another editor"):
        workflow.verdict_approve(verdict=draft, by=second_editor)
    assert workflow.correction_preview(Verdict.objects.get(pk=draft.pk)) == ["The claim as checked was reworded."]
    draft = workflow.verdict_approve(verdict=Verdict.objects.get(pk=draft.pk), by=editor)
    assert draft.state == Verdict.State.PUBLISHED
    assert draft.changes == ["The claim as checked was reworded."]
    assert draft.claim_snapshot["statement"] == "Reworded by Ed"


# No lost update -------------------------------------------------------------------------


def test_a_second_first_draft_is_refused_and_names_the_first_author(assigned_claim, reviewer, editor):
    workflow.verdict_save_draft(
        claim=assigned_claim, by=reviewer, rating=None, headline="Rita's", analysis="", version=0
    )
    with pytest.raises(StaleEdit) as caught:
        workflow.verdict_save_draft(
            claim=assigned_claim, by=editor, rating=None, headline="Eve's", analysis="", version=0
        )
    assert caught.value.changed_by == reviewer and caught.value.current.headline == "Rita's"
    assert Verdict.objects.get(claim=assigned_claim).headline == "Rita's"


def test_a_stale_evidence_edit_is_refused(assigned_claim, reviewer, editor):
    from claims.services import evidence as workbench

    evidence = EvidenceFactory(claim=assigned_claim, title="One")
    workbench.evidence_edit(evidence=evidence, by=reviewer, version=1, title="Rita's")
    with pytest.raises(StaleEdit):
        workbench.evidence_edit(evidence=evidence, by=editor, version=1, title="Eve's")
    with pytest.raises(StaleEdit):
        workbench.evidence_remove(evidence=evidence, by=editor, version=1)
    assert claim_evidence_titles(assigned_claim) == ["Rita's"]


def claim_evidence_titles(claim: Claim) -> list[str]:
    return list(claim.evidence.values_list("title", flat=True))


# Duplicates ------------------------------------------------------------------------------


def test_marking_a_duplicate_that_would_make_a_loop_is_refused(editor):
    a, b, c = ClaimFactory(), ClaimFactory(), ClaimFactory()
    workflow.claim_mark_duplicate(claim=b, by=editor, original=a)
    workflow.claim_mark_duplicate(claim=c, by=editor, original=b)  # c → a (the root)
    with pytest.raises(IllegalTransition, match="would make a loop"):
        workflow.claim_mark_duplicate(claim=Claim.objects.get(pk=a.pk), by=editor, original=b)
    assert Claim.objects.get(pk=a.pk).duplicate_of_id is None


def test_an_existing_loop_does_not_hang_the_chain_walk(editor):
    a, b, c = ClaimFactory(), ClaimFactory(), ClaimFactory()
    # A loop left by the old code (two editors at once), written directly.
    Claim.objects.filter(pk=a.pk).update(duplicate_of=b, status=S.DUPLICATE)
    Claim.objects.filter(pk=b.pk).update(duplicate_of=a, status=S.DUPLICATE)
    with pytest.raises(IllegalTransition, match="loop"):
        workflow.claim_mark_duplicate(claim=c, by=editor, original=Claim.objects.get(pk=a.pk))


def test_the_migration_cuts_existing_duplicate_loops(editor):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("claims.migrations.0012_claim_as_checked_and_approval")
    a, b, c, d = ClaimFactory(), ClaimFactory(), ClaimFactory(), ClaimFactory()
    Claim.objects.filter(pk=a.pk).update(duplicate_of=b, status=S.DUPLICATE)
    Claim.objects.filter(pk=b.pk).update(duplicate_of=a, status=S.DUPLICATE)
    Claim.objects.filter(pk=d.pk).update(duplicate_of=c, status=S.DUPLICATE)  # a plain chain: kept
    migration.break_duplicate_cycles(apps, None)
    cut = Claim.objects.get(pk=min(a.pk, b.pk))
    assert (cut.duplicate_of_id, cut.status) == (None, S.ACCEPTED)
    assert Claim.objects.get(pk=max(a.pk, b.pk)).duplicate_of_id == cut.pk
    assert Claim.objects.get(pk=d.pk).duplicate_of_id == c.pk


# Approval: policy, panel votes, gates ----------------------------------------------------


def test_by_default_one_editor_other_than_the_author_publishes(submitted_verdict, second_editor):
    from claims.models import ApprovalPolicy

    policy = ApprovalPolicy.current()
    assert (policy.approvals_required, policy.vote_on_rating, policy.pk) == (1, False, None)
    verdict = workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    assert verdict.state == Verdict.State.PUBLISHED
    [vote] = verdict.votes.all()
    assert (vote.editor, vote.rating) == (second_editor, rating())


def test_a_panel_of_three_publishes_the_majority_rating_and_keeps_the_dissent(
    submitted_verdict, second_editor, third_editor, fourth_editor, reviewer
):
    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=3, vote_on_rating=True, show_panel_publicly=True, min_evidence=0)
    with pytest.raises(NotAllowed):  # the author never votes
        workflow.verdict_approve(verdict=submitted_verdict, by=reviewer, rating=rating("true"))
    workflow.verdict_approve(
        verdict=submitted_verdict, by=second_editor, rating=rating("mostly-false"), comment="Close"
    )
    workflow.verdict_approve(verdict=submitted_verdict, by=third_editor, rating=rating("false"), comment="Clear")
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.SUBMITTED  # two of three so far
    verdict = workflow.verdict_approve(verdict=submitted_verdict, by=fourth_editor, rating=rating("mostly-false"))
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.PUBLISHED
    assert verdict.rating == rating("mostly-false")  # the majority carries over the author's "False"
    assert verdict.panel == {"size": 3, "for": 2, "against": 1, "vote_on_rating": True, "public": True}
    votes = {v.editor.username: (v.rating.slug, v.comment) for v in verdict.votes.all()}
    assert votes == {"ed": ("mostly-false", "Close"), "ann": ("false", "Clear"), "bo": ("mostly-false", "")}
    # The dissent is in the history too.
    assert verdict.history.first().history_change_reason == (
        "approved and published by a panel of 3, 2 to 1; dissent: Ann (False)"
    )


def test_a_split_panel_does_not_publish_until_a_vote_changes(
    submitted_verdict, second_editor, third_editor, fourth_editor
):
    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=3, vote_on_rating=True, min_evidence=0)
    for person, slug in ((second_editor, "false"), (third_editor, "mostly-false"), (fourth_editor, "half-true")):
        workflow.verdict_approve(verdict=submitted_verdict, by=person, rating=rating(slug))
    assert workflow.verdict_split(submitted_verdict)
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.SUBMITTED
    workflow.verdict_approve(verdict=submitted_verdict, by=fourth_editor, rating=rating("false"))  # Bo changes his vote
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.PUBLISHED
    assert submitted_verdict.votes.count() == 3


def test_returning_withdraws_the_votes_so_the_new_text_is_voted_afresh(
    submitted_verdict, second_editor, third_editor, reviewer
):
    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=2, min_evidence=0)
    workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    workflow.verdict_return(verdict=Verdict.objects.get(pk=submitted_verdict.pk), by=third_editor, comment="Cite it")
    verdict = Verdict.objects.get(pk=submitted_verdict.pk)
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    workflow.verdict_approve(verdict=verdict, by=third_editor)
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.SUBMITTED  # Ed's old vote does not count
    assert submitted_verdict.votes.filter(withdrawn=True).count() == 1


def test_the_evidence_gate_blocks_publication_with_a_message(settings, assigned_claim, reviewer, second_editor):
    from django.conf import settings as project

    settings.PUBLICATION_MIN_EVIDENCE = 1  # the project's default (tests elsewhere publish bare verdicts)
    verdict = workflow.verdict_save_draft(
        claim=assigned_claim, by=reviewer, rating=rating(), headline="No", analysis=""
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    errors, _ = workflow.publication_checks(verdict)
    assert errors == ["The claim has 0 pieces of evidence; at least 1 is needed before publication."]
    with pytest.raises(IllegalTransition, match="0 pieces of evidence"):
        workflow.verdict_approve(verdict=verdict, by=second_editor)
    EvidenceFactory(claim=assigned_claim)
    assert workflow.verdict_approve(verdict=verdict, by=second_editor).state == Verdict.State.PUBLISHED
    assert project.PUBLICATION_MIN_EVIDENCE == 1


def test_the_default_evidence_gate_is_one_piece():
    import factcheck.settings

    assert factcheck.settings.PUBLICATION_MIN_EVIDENCE == 1


def test_a_rating_neither_numeric_nor_declared_textual_blocks_publication(submitted_verdict, second_editor):
    Rating.objects.filter(pk=rating().pk).update(value=None, textual=False)
    with pytest.raises(IllegalTransition, match="has no number and is not declared textual"):
        workflow.verdict_approve(verdict=Verdict.objects.get(pk=submitted_verdict.pk), by=second_editor)


def test_the_checks_warn_about_a_long_claim_reviewed_and_a_missing_statement(submitted_verdict):
    claim = submitted_verdict.claim
    Claim.objects.filter(pk=claim.pk).update(text="word " * 30)
    errors, warnings = workflow.publication_checks(Verdict.objects.get(pk=submitted_verdict.pk))
    assert errors == []
    assert any("claimReviewed is 149 characters" in w for w in warnings)
    assert any("No statement as checked" in w for w in warnings)


# The forms: every write carries the version it read -----------------------------------------


def test_a_post_without_version_is_refused_with_a_message(submitted_verdict, reviewer_client, second_editor_client):
    from django.urls import reverse

    from claims.forms import MISSING_VERSION

    claim = submitted_verdict.claim
    evidence = EvidenceFactory(claim=claim)
    posts = [
        (reviewer_client, reverse("claims:claim_edit", args=[claim.pk]), {"text": "New", "kind": "other"}),
        (second_editor_client, reverse("claims:verdict_approve", args=[claim.pk]), {"confirm": "1"}),
        (second_editor_client, reverse("claims:verdict_return", args=[claim.pk]), {"comment": "Why"}),
        (
            reviewer_client,
            reverse("claims:evidence_edit", args=[claim.pk, evidence.pk]),
            {"url": "https://x.example.org/", "stance": "context", "source_kind": "media"},
        ),
        (reviewer_client, reverse("claims:evidence_remove", args=[claim.pk, evidence.pk]), {}),
    ]
    for client, url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert MISSING_VERSION.split(",")[0] in response.content.decode().replace("&#x27;", "'"), url
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.SUBMITTED
    assert Claim.objects.get(pk=claim.pk).text != "New" and claim.evidence.exists()


def test_a_draft_post_without_version_is_refused(assigned_claim, reviewer_client):
    from django.urls import reverse

    response = reviewer_client.post(
        reverse("claims:verdict_save", args=[assigned_claim.pk]), {"headline": "H", "action": "save"}
    )
    assert response.status_code == 400 and not Verdict.objects.filter(claim=assigned_claim).exists()


def test_a_second_first_draft_gets_the_conflict_page_with_its_text_kept(assigned_claim, reviewer_client, editor_client):
    from django.urls import reverse

    url = reverse("claims:verdict_save", args=[assigned_claim.pk])
    first = reviewer_client.post(url, {"headline": "Rita's headline", "action": "save", "version": 0})
    assert first.status_code == 302
    second = editor_client.post(url, {"headline": "Eve's headline", "action": "save", "version": 0})
    assert second.status_code == 409
    html = second.content.decode().replace("&#x27;", "'")
    assert "Rita" in html and "after you opened it" in html
    assert 'value="Eve\'s headline"' in html  # her own text, kept in the form
    assert Verdict.objects.get(claim=assigned_claim).headline == "Rita's headline"


def test_approval_is_two_steps_with_the_checks_shown_first(settings, submitted_verdict, second_editor_client):
    from django.urls import reverse

    settings.PUBLICATION_MIN_EVIDENCE = 1
    url = reverse("claims:verdict_approve", args=[submitted_verdict.claim_id])
    check = second_editor_client.post(url, {"version": submitted_verdict.version})
    html = check.content.decode()
    assert check.status_code == 200 and "These block publication" in html and "0 pieces of evidence" in html
    assert "Confirm: approve and publish" not in html  # errors block: nothing to confirm
    EvidenceFactory(claim=submitted_verdict.claim)
    html = second_editor_client.post(url, {"version": submitted_verdict.version}).content.decode()
    assert "Confirm: approve and publish" in html and "No statement as checked" in html
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.SUBMITTED
    second_editor_client.post(url, {"version": submitted_verdict.version, "confirm": "1"})
    assert Verdict.objects.get(pk=submitted_verdict.pk).state == Verdict.State.PUBLISHED


def test_the_approve_button_shows_only_to_editors_who_may_approve(
    assigned_claim, editor, second_editor_client, reviewer_client, editor_client
):
    from django.urls import reverse

    verdict = workflow.verdict_save_draft(claim=assigned_claim, by=editor, rating=rating(), headline="H", analysis="")
    workflow.verdict_submit(verdict=verdict, by=editor)
    page = reverse("claims:claim", args=[assigned_claim.pk])
    assert "Approve and publish" not in editor_client.get(page).content.decode()  # the author
    assert "Approve and publish" not in reviewer_client.get(page).content.decode()
    assert "Approve and publish…" in second_editor_client.get(page).content.decode()


def test_the_admin_refuses_a_claim_change_without_its_version(admin_client, assigned_claim):
    from django.urls import reverse

    url = reverse("admin:claims_claim_change", args=[assigned_claim.pk])
    data = {
        "text": "Changed in the admin",
        "kind": "other",
        "score": "0.5",
        "priority": "1",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the message
    assert "did not say which version you read" in response.content.decode().replace("&#x27;", "'")
    assert Claim.objects.get(pk=assigned_claim.pk).text != "Changed in the admin"


def test_an_editor_who_only_set_the_priority_may_still_approve(submitted_verdict, second_editor):
    workflow.claim_edit(claim=Claim.objects.get(pk=submitted_verdict.claim_id), by=second_editor, priority=3)
    assert workflow.approval_refusal(Verdict.objects.get(pk=submitted_verdict.pk), second_editor) is None
    workflow.claim_edit(claim=Claim.objects.get(pk=submitted_verdict.claim_id), by=second_editor, statement="Reworded")
    refusal = workflow.approval_refusal(Verdict.objects.get(pk=submitted_verdict.pk), second_editor)
    assert isinstance(refusal, NotAllowed) and "another editor" in refusal.message


def test_a_panel_member_votes_a_rating_on_the_claim_page(submitted_verdict, second_editor, second_editor_client):
    from django.urls import reverse

    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=2, vote_on_rating=True, min_evidence=0)
    page = second_editor_client.get(reverse("claims:claim", args=[submitted_verdict.claim_id])).content.decode()
    assert "Vote to approve…" in page and "0 of 2 in" in page
    url = reverse("claims:verdict_approve", args=[submitted_verdict.claim_id])
    step = second_editor_client.post(url, {"version": submitted_verdict.version}).content.decode()
    assert "Your rating" in step and "Confirm my vote" in step
    data = {
        "version": submitted_verdict.version,
        "confirm": "1",
        "rating": rating("mostly-false").pk,
        "comment": "Nearly",
    }
    response = second_editor_client.post(url, data, follow=True)
    assert "needs more approvals" in response.content.decode()
    [vote] = Verdict.objects.get(pk=submitted_verdict.pk).votes.all()
    assert (vote.editor, vote.rating, vote.comment) == (second_editor, rating("mostly-false"), "Nearly")
    page = second_editor_client.get(reverse("claims:claim", args=[submitted_verdict.claim_id])).content.decode()
    assert "Change my vote…" in page and "(dissent)" in page
    assert "The panel is split" not in page  # one of two votes: not split, just waiting


def test_the_claim_page_says_when_the_panel_is_split(
    submitted_verdict, second_editor, third_editor, second_editor_client
):
    from django.urls import reverse

    from claims.models import ApprovalPolicy

    ApprovalPolicy.objects.create(approvals_required=2, vote_on_rating=True, min_evidence=0)
    workflow.verdict_approve(verdict=submitted_verdict, by=second_editor, rating=rating("false"))
    workflow.verdict_approve(verdict=submitted_verdict, by=third_editor, rating=rating("mostly-false"))
    page = second_editor_client.get(reverse("claims:claim", args=[submitted_verdict.claim_id])).content.decode()
    assert "2 of 2 in" in page and "The panel is split: no rating has a majority" in page
    workflow.verdict_approve(verdict=submitted_verdict, by=third_editor, rating=rating("false"))
    page = second_editor_client.get(reverse("claims:claim", args=[submitted_verdict.claim_id])).content.decode()
    assert "The panel is split" not in page


def test_evidence_changed_in_the_admin_opens_a_correction(admin_client, submitted_verdict, second_editor):
    from django.urls import reverse

    evidence = EvidenceFactory(claim=submitted_verdict.claim, title="Table A")
    workflow.verdict_approve(verdict=submitted_verdict, by=second_editor)
    url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    data = {
        "claim": evidence.claim_id,
        "url": evidence.url,
        "title": "Changed in the admin",
        "stance": evidence.stance,
        "source_kind": evidence.source_kind,
        "accessed_at_0": "2026-01-01",
        "accessed_at_1": "10:00:00",
        "added_by": second_editor.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(pk=submitted_verdict.claim_id).status == S.IN_REVIEW
    published_verdict = Verdict.objects.get(pk=submitted_verdict.pk)
    assert (
        published_verdict.state == Verdict.State.PUBLISHED
        and published_verdict.evidence_snapshot[0]["title"] == "Table A"
    )


def good_review() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/fact-checks/crime-halved-7/",
        "claimReviewed": "Crime halved in two years",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Ada Rowe"},
            "datePublished": "2026-11-03",
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example.com/a"}],
        },
        "author": {"@type": "Organization", "name": "Example Fact Check"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
        "datePublished": "2026-11-05T10:00:00Z",
    }


def test_the_claim_review_check_passes_a_complete_review():
    from claims.publishing.checks import claim_review_check

    assert claim_review_check(good_review()) == ([], [])


def test_the_claim_review_check_rejects_a_missing_alternate_name():
    from claims.publishing.checks import claim_review_check

    review = good_review()
    del review["reviewRating"]["alternateName"]
    errors, _ = claim_review_check(review)
    assert errors == ["The rating has no alternateName (its label): choose a rating."]


def test_the_claim_review_check_rejects_missing_fields_and_a_page_off_our_domain():
    from claims.publishing.checks import claim_review_check

    review = good_review()
    review["url"] = "https://elsewhere.example.net/fact-checks/crime-halved-7/"
    del review["claimReviewed"], review["author"]
    errors, _ = claim_review_check(review)
    assert errors == [
        "The ClaimReview has no claimReviewed: write the statement as checked.",
        "The ClaimReview has no author (the publisher's name).",
        "The page address https://elsewhere.example.net/fact-checks/crime-halved-7/ is not on the publisher's "
        "domain (factcheck.example.org).",
    ]


def test_the_claim_review_check_takes_a_textual_rating_only_when_declared():
    from claims.publishing.checks import claim_review_check

    review = good_review()
    review["reviewRating"] = {"@type": "Rating", "alternateName": "Misleading"}
    assert claim_review_check(review, textual=True) == ([], [])
    assert "not declared textual" in claim_review_check(review, textual=False)[0][0]
    review["reviewRating"] = {**good_review()["reviewRating"], "ratingValue": 9}
    assert "not on the scale" in claim_review_check(review)[0][0]
