"""Admin for claims: the list and the change page, with the claim's matches, evidence,
verdicts and comments inline. The list's bulk actions are in `claim_actions`; evidence and
comments on their own are in `evidence`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import matching, notifications, workflow
from ..audit import audit_save
from ..errors import StaleEdit, WorkflowError
from ..forms import MISSING_VERSION
from ..models import (
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    Verdict,
)
from .claim_actions import ClaimActions


class EvidenceInline(admin.StackedInline):
    model = Evidence
    fields = (("url", "stance", "source_kind"), ("title", "publisher"), "excerpt", ("accessed_at", "archived_url"))
    extra = 0


class VerdictInline(admin.StackedInline):
    model = Verdict
    fields = ("revision", "state", "rating", "headline", "analysis", "author", "approver", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ClaimMatchInline(admin.TabularInline):
    model = ClaimMatch
    fk_name = "claim"
    verbose_name = "similar earlier claim"
    verbose_name_plural = "similar earlier claims (already checked?)"
    fields = ("earlier", "earlier_status", "score")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("earlier")

    @admin.display(description="status")
    def earlier_status(self, obj: ClaimMatch) -> str:
        return obj.earlier.get_status_display()


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    extra = 1


class ClaimAdminForm(forms.ModelForm):
    # The version the editor saw; saving over a newer one is refused (no lost update), and so
    # is a change form that leaves it out (required once the claim exists).
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = (
            "text",
            "statement",
            "claim_date",
            "appearance_url",
            "first_appearance_url",
            "kind",
            "speaker",
            "article",
            "quote",
            "start",
            "end",
            "score",
            "priority",
            "assignee",
            "due_date",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        seen = self.cleaned_data.get("seen_version")
        if self.instance.pk and seen is None:
            raise ValidationError(MISSING_VERSION, code="no_version")
        if self.instance.pk and seen is not None:
            try:
                workflow.version_check(self.instance, seen)
            except StaleEdit as exc:
                raise ValidationError(
                    f"{exc.changed_by or 'someone else'} changed this claim since you opened it. Your edits are "
                    "still in the form: reload the page in another tab to see theirs, then save again.",
                    code="stale",
                ) from None
        return self.cleaned_data


@admin.register(Claim)
class ClaimAdmin(ClaimActions, SimpleHistoryAdmin):
    form = ClaimAdminForm
    # Who and by when next to the claim: the columns an editor reads first stay on screen.
    list_display = ("short_text", "speaker", "status", "assignee", "due_date", "priority", "worthiness", "kind")
    list_filter = ("status", "kind", "priority", "origin", ("assignee", admin.RelatedOnlyFieldListFilter), "due_date")
    list_editable = ()
    search_fields = ("text", "speaker__name", "speaker__aliases__alias", "article__title", "article__url")
    autocomplete_fields = ("speaker", "assignee", "duplicate_of")
    raw_id_fields = ("article", "quote")
    readonly_fields = ("status", "duplicate_of", "origin", "version", "slug", "numbers", "created_at", "updated_at")
    list_select_related = ("speaker", "assignee")
    inlines = [ClaimMatchInline, EvidenceInline, VerdictInline, CommentInline]
    ordering = ("-score",)

    @admin.display(description="claim", ordering="text")
    def short_text(self, obj: Claim) -> str:
        # Short enough for three lines at 1366 px, so the assignee and due columns fit.
        text = obj.text if len(obj.text) <= 110 else obj.text[:109] + "…"
        # The version this list shows goes with the actions' form: a claim changed since is refused.
        return format_html(
            '<span title="{}">#{} {}</span><input type="hidden" name="version-{}" value="{}">',
            obj.text,
            obj.pk,
            text,
            obj.pk,
            obj.version,
        )

    class Media:
        css = {"all": ("claims/admin.css",)}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A claim that matching at ingestion left for later is matched as it is opened, here
        # as on the workbench: the page's "already checked?" list is never silently empty.
        if request.method == "GET":
            claim = self.get_object(request, unquote(object_id))
            if claim is not None:
                matching.claims_match_pending(claims=[claim])
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # The list needs the width at 1366 px more than the admin's menu of models does.
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    @admin.display(description="score", ordering="score")
    def worthiness(self, obj: Claim) -> str:
        return f"{obj.score:.2f}"

    def get_fields(self, request, obj=None):
        fields = [
            "text",
            "statement",
            ("claim_date", "appearance_url"),
            "first_appearance_url",
            "kind",
            "speaker",
            "article",
            "quote",
            ("start", "end"),
            "score",
            "numbers",
            ("priority", "assignee", "due_date"),
            "seen_version",
        ]
        return fields + (
            ["status", "duplicate_of", "origin", "slug", "version", ("created_at", "updated_at")] if obj else []
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.origin = "human"
            audit_save(obj, request.user, None)
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "seen_version"}
        assignee = fields.pop("assignee", None)  # assigning is a workflow move, not a field edit
        fresh = Claim.objects.get(pk=obj.pk)
        try:
            if fields:
                workflow.claim_edit(
                    claim=fresh, by=request.user, version=form.cleaned_data.get("seen_version"), **fields
                )
            if assignee is not None:
                workflow.claim_assign(claim=fresh, by=request.user, assignee=assignee)
        except WorkflowError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def save_formset(self, request, form, formset, change):
        if formset.model is Evidence and change and formset.has_changed():
            # Evidence is frozen with the published version: a change opens a correction.
            workflow.claim_open_correction(
                claim=Claim.objects.get(pk=form.instance.pk), by=request.user, reason="evidence changed in the admin"
            )
        for instance in formset.save(commit=False):
            if isinstance(instance, Comment) and not instance.author_id:
                instance.author = request.user
            if isinstance(instance, Evidence) and not instance.added_by_id:
                instance.added_by = request.user
            new_comment = isinstance(instance, Comment) and instance.pk is None
            instance.save()
            if new_comment and notifications.mentioned_usernames(instance.body):  # as in the workbench
                notifications.event_notify(
                    event="mention",
                    claim=instance.claim,
                    by=request.user,
                    key=f"mention:comment:{instance.pk}",
                    comment=instance,
                )
        for obj in formset.deleted_objects:
            obj.delete()
