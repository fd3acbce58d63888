"""Admin for verdicts, the approval policy and the rating scale."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    ApprovalPolicy,
    Rating,
    Verdict,
    VerdictVote,
)
from .actions import approve_confirmed


class VerdictVoteInline(admin.TabularInline):
    """The approvals, with each editor's rating on a panel; dissent and withdrawn votes stay."""

    model = VerdictVote
    fields = ("editor", "rating", "comment", "withdrawn", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    """One row: how many editors approve, whether they vote on the rating, and the evidence
    needed. Without a saved row, the settings decide."""

    list_display = ("__str__", "approvals_required", "vote_on_rating", "show_panel_publicly", "min_evidence")

    def has_add_permission(self, request):
        return not ApprovalPolicy.objects.exists()


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("claim", "revision", "rating", "state", "author", "approver", "published_at")
    list_filter = ("state", "rating", "published_at")
    search_fields = ("headline", "analysis", "claim__text")
    autocomplete_fields = ("author", "approver")
    raw_id_fields = ("claim",)
    readonly_fields = (
        "claim",
        "revision",
        "state",
        "author",
        "approver",
        "last_edited_by",
        "submitted_at",
        "published_at",
        "evidence_snapshot",
        "claim_snapshot",
        "panel",
        "changes",
        "version",
    )
    inlines = [VerdictVoteInline]
    list_select_related = ("claim", "rating", "author", "approver")
    actions = ["approve"]

    def has_change_permission(self, request, obj=None):
        # Verdict text changes through the workflow (drafts, corrections), never in place.
        return False

    def has_add_permission(self, request):
        # Verdicts are drafted on their claim's page in the workbench, never added here.
        return False

    @admin.action(description="Approve and publish the selected submitted verdicts")
    def approve(self, request, queryset):
        return approve_confirmed(self, request, queryset.select_related("claim"), selected=queryset, action="approve")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "value", "order", "colour")
    list_editable = ("order",)
    search_fields = ("label", "description")
    prepopulated_fields = {"slug": ("label",)}
