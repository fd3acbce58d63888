"""Admin for other fact-checkers' work: importing their ClaimReview (a file or a feed URL)
and browsing what was imported. Editors only."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import external, roles
from ..models import ClaimReviewImport, ExternalFactCheck, ExternalMatch
from ..roles import Actor

EXTENSIONS = (".json", ".jsonld", ".jsonl", ".ndjson", ".html", ".htm")


class ClaimReviewImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="ClaimReview JSON-LD (.json, .jsonld), JSON Lines (.jsonl) or a fact-check's HTML page, up to "
        f"{external.MAX_BYTES // 1_048_576} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    source_url = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        label="Feed URL",
        help_text="Or the address of a feed: a DataFeed of ClaimReview, a JSON-LD list, or JSON Lines.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and PurePath(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("Upload a .json, .jsonld, .jsonl or .html file.", code="extension")
        return upload

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if bool(data.get("file")) == bool(data.get("source_url")) and not self.errors:
            raise forms.ValidationError("Upload a file or give a feed URL (one of the two).", code="one_source")
        return data

    def submit(self, *, by: Actor) -> ClaimReviewImport:
        upload = self.cleaned_data["file"]
        if upload:
            # One byte over the limit is enough to refuse it; the rest is never read.
            data = upload.read(external.MAX_BYTES + 1)
            return external.claimreview_import_create(by=by, data=data, filename=PurePath(upload.name).name)
        return external.claimreview_import_create(by=by, source_url=self.cleaned_data["source_url"])


class EditorsOnly:
    """The editor role decides, not model permissions (the groups predate these models)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return roles.is_editor(request.user)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return roles.is_editor(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a record of what happened, and what another publisher said

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return roles.is_editor(request.user)


@admin.register(ClaimReviewImport)
class ClaimReviewImportAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("__str__", "status_badge", "total", "created", "updated", "refused", "created_by", "created_at")
    list_filter = ("status",)
    search_fields = ("source_url", "filename", "error")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    fields = (
        "source_url",
        "filename",
        "status",
        "error",
        ("total", "created", "updated", "refused", "skipped"),
        "refused_items",
        "created_by",
        "created_at",
        "finished_at",
    )
    readonly_fields = (
        *("source_url", "filename", "status", "error", "total", "created", "updated", "refused", "skipped"),
        *("refused_items", "created_by", "created_at", "finished_at"),
    )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: ClaimReviewImport) -> str:
        colours = {"done": "#1a7f37", "failed": "#b42318", "running": "#9a6700", "queued": "#555"}
        return format_html('<b style="color:{}">{}</b>', colours[obj.status], obj.get_status_display())

    @admin.display(description="refused items")
    def refused_items(self, obj: ClaimReviewImport) -> str:
        if not obj.report:
            return "None." if obj.status == ClaimReviewImport.Status.DONE else "—"
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td>{}</td><td style="overflow-wrap:anywhere">{}</td></tr>',
            ((item.get("index"), item.get("reason"), item.get("url") or "—") for item in obj.report),
        )
        return format_html(
            '<table class="refused"><thead><tr><th>Item</th><th>Reason</th><th>URL</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Importing goes through the service, which records the run and queues its job."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        bound = request.method == "POST"
        form = ClaimReviewImportForm(request.POST if bound else None, request.FILES if bound else None)
        if bound and form.is_valid():
            run = form.submit(by=request.user)
            if run.status == ClaimReviewImport.Status.FAILED:
                self.message_user(request, run.error, messages.ERROR)
            else:
                self.message_user(request, "Import queued: the report appears here when it is done.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:claims_claimreviewimport_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import ClaimReview",
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": True,
            "max_mb": external.MAX_BYTES // 1_048_576,
        }
        return TemplateResponse(request, "admin/claims/claimreviewimport/add.html", context)


class ExternalMatchInline(admin.TabularInline):
    model = ExternalMatch
    extra = 0
    fields = ("claim", "score", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")


@admin.register(ExternalFactCheck)
class ExternalFactCheckAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("publisher_name", "rating_label", "short_claim", "claimant", "review_date", "language", "link")
    list_filter = ("publisher_name", "rating_label", "language")
    search_fields = ("claim_reviewed", "publisher_name", "claimant", "review_url", "headline")
    date_hierarchy = "review_date"
    readonly_fields = [f.name for f in ExternalFactCheck._meta.fields]
    inlines = [ExternalMatchInline]

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False  # they come from imports

    @admin.display(description="claim reviewed", ordering="claim_reviewed")
    def short_claim(self, obj: ExternalFactCheck) -> str:
        text = obj.claim_reviewed
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.display(description="review")
    def link(self, obj: ExternalFactCheck) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer">open</a>', obj.review_url)
