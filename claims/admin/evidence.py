"""Admin for evidence and comments on their own (the claim's change page shows them inline).
Evidence is frozen with a published version, so changing or removing it here opens a
correction."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .. import workflow
from ..models import Comment, Evidence


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "claim", "stance", "source_kind", "publisher", "added_by", "accessed_at")
    list_filter = ("stance", "source_kind")
    search_fields = ("title", "url", "publisher", "excerpt", "claim__text")
    raw_id_fields = ("claim",)
    list_select_related = ("claim", "added_by")

    # Evidence is frozen with a published version: changing it here opens a correction too.
    def save_model(self, request, obj, form, change):
        workflow.claim_open_correction(claim=obj.claim, by=request.user, reason="evidence changed in the admin")
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        workflow.claim_open_correction(claim=obj.claim, by=request.user, reason="evidence removed in the admin")
        super().delete_model(request, obj)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "claim", "author", "created_at")
    search_fields = ("body", "claim__text")
    list_filter = ("created_at",)
    raw_id_fields = ("claim",)
    list_select_related = ("claim", "author")
