"""The editor's desk. Declarative; every action that changes state calls a service or a
workflow function, so the admin obeys the same rules as the web UI and the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import notifications, queries, services, workflow
from . import workbench as writes
from .errors import IllegalTransition, WorkflowError
from .forms import MISSING_VERSION, ArticleSubmitForm
from .models import (
    ApprovalPolicy,
    Article,
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    Quote,
    Rating,
    Speaker,
    SpeakerAlias,
    Verdict,
    VerdictVote,
)


def _label(item) -> str:
    """How a message names an item: a verdict by its claim, since the claim is what editors
    know (and what the workbench shows)."""
    if isinstance(item, Verdict):
        return f"Claim #{item.claim_id} (verdict revision {item.revision})"
    return f"{item._meta.verbose_name.capitalize()} #{item.pk}"


def _run(modeladmin: admin.ModelAdmin, request: HttpRequest, items, action, done: str, refusals=()) -> None:
    """Apply one workflow action to each selected item; always report what was done and
    what was refused, naming each item. `refusals` are items refused before trying."""
    ok, refused = [], list(refusals)
    for item in items:
        try:
            action(item)
            ok.append(item)
        except (WorkflowError, ValidationError) as exc:
            refused.append(f"{_label(item)}: {getattr(exc, 'message', None) or ' '.join(exc.messages)}")
    if ok:
        meta = ok[0]._meta
        noun = meta.verbose_name if len(ok) == 1 else meta.verbose_name_plural
        names = ", ".join(_label(item) for item in ok)
        modeladmin.message_user(request, f"{len(ok)} {noun} {done}: {names}.", messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.ERROR)
    if not ok and not refused:
        modeladmin.message_user(request, "Nothing was selected; nothing was done.", messages.WARNING)


def _read_version(request: HttpRequest, item) -> int:
    """The version of `item` the page showed (the list for claims, the confirmation for
    verdicts); without it nothing is done: what is changed must be what was read."""
    name = f"verdict-version-{item.pk}" if isinstance(item, Verdict) else f"version-{item.pk}"
    try:
        return int(request.POST[name])
    except (KeyError, ValueError):
        raise IllegalTransition(MISSING_VERSION) from None


def _approve_confirmed(
    modeladmin: admin.ModelAdmin, request: HttpRequest, verdicts, *, selected, action: str, refusals=()
):
    """Approving from the admin takes the same two steps as the claim page: first the checks
    before publication for each verdict (errors block it, warnings to read), then confirm.
    `refusals` name the selected items that have nothing to approve."""
    if request.POST.get("confirm") == "yes" or not verdicts:
        _run(
            modeladmin,
            request,
            verdicts,
            lambda v: workflow.verdict_approve(verdict=v, by=request.user, version=_read_version(request, v)),
            "approvals recorded (published once the approval policy is met)",
            refusals=refusals,
        )
        return None
    for line in refusals:
        modeladmin.message_user(request, line, messages.ERROR)
    rows = []
    for verdict in verdicts:
        refusal = workflow.approval_refusal(verdict, request.user)
        errors, warnings = workflow.publication_checks(verdict) if refusal is None else ([refusal.message], [])
        rows.append({"verdict": verdict, "errors": errors, "warnings": warnings})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Approve and publish: check before it goes out",
        "rows": rows,
        "selected": selected,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/claims/approve_confirm.html", context)


# Articles ---------------------------------------------------------------------------------


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ("text", "speaker", "direct", "cue", "confidence", "origin", "start", "end")
    readonly_fields = ("origin",)
    autocomplete_fields = ("speaker",)
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "outlet", "status_badge", "published_at", "quote_count", "claim_count", "created_at")
    list_filter = ("status", "internal", "outlet", "language", "created_at", "source_items__source")
    search_fields = ("title", "url", "outlet", "byline", "body")
    readonly_fields = (
        "status",
        "error",
        "content_hash",
        "extractor_version",
        "attempts",
        "created_at",
        "status_changed_at",
        "submitted_by",
        "inconsistent_figures",
    )
    fieldsets = (
        (None, {"fields": ("url", "title", "outlet", "byline", "published_at", "language", "internal")}),
        (
            "Processing",
            {
                "fields": (
                    "status",
                    "error",
                    "attempts",
                    "extractor_version",
                    "status_changed_at",
                    "submitted_by",
                    "inconsistent_figures",
                    "content_hash",
                )
            },
        ),
        ("Text", {"fields": ("body",), "classes": ("collapse",)}),
    )
    inlines = [QuoteInline]
    actions = ["rerun_extraction"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_quotes=Count("quotes", distinct=True), n_claims=Count("claims", distinct=True))
        )

    @admin.display(description="quotes", ordering="n_quotes")
    def quote_count(self, obj: Article) -> int:
        return obj.n_quotes

    @admin.display(description="figures stated differently")
    def inconsistent_figures(self, obj: Article) -> str:
        return "; ".join(f"{i['subject']}: {', '.join(i['stated_as'])}" for i in obj.inconsistencies) or "none"

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: Article) -> int:
        return obj.n_claims

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Article) -> str:
        if obj.status == Article.Status.FAILED:
            return format_html('<span title="{}" style="color:#c62828">failed: {}</span>', obj.error, obj.error[:60])
        return obj.get_status_display()

    @admin.action(description="Re-run extraction on the selected articles")
    def rerun_extraction(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda a: services.article_rerun_extraction(article=a),
            "queued for extraction",
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Submitting an article goes through the service (fetch job, de-duplication)."""
        bound = request.method == "POST"
        form = ArticleSubmitForm(request.POST if bound else None, request.FILES if bound else None)
        if bound and form.is_valid():
            try:
                submission = form.submit(by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request, submission.message, messages.SUCCESS if submission.created else messages.WARNING
                )
                return HttpResponseRedirect(reverse("admin:claims_article_change", args=[submission.article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Submit an article",
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/claims/article/submit.html", context)


# Speakers ---------------------------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ("alias",)
    extra = 1


class MergeSpeakersForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Speaker.objects.none(), widget=forms.RadioSelect, label="Keep this speaker")

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = speakers


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "role", "organisation", "alias_list", "quote_count", "claim_count")
    list_filter = ("kind", "page_hidden", "organisation")
    search_fields = ("name", "aliases__alias", "role", "organisation", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SpeakerAliasInline]
    actions = ["merge_speakers"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("aliases")
            .annotate(n_quotes=Count("quotes", distinct=True), n_claims=Count("claims", distinct=True))
        )

    @admin.display(description="aliases")
    def alias_list(self, obj: Speaker) -> str:
        return ", ".join(a.alias for a in obj.aliases.all() if a.alias != obj.name)

    @admin.display(description="quotes", ordering="n_quotes")
    def quote_count(self, obj: Speaker) -> int:
        return obj.n_quotes

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: Speaker) -> int:
        return obj.n_claims

    @admin.action(description="Merge the selected speakers into one")
    def merge_speakers(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.ERROR)
            return None
        form = MergeSpeakersForm(request.POST if "keep" in request.POST else None, speakers=queryset)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(queryset.exclude(pk=keep.pk))  # counted before the merge deletes them
            services.speaker_merge(keep=keep, others=others, by=request.user)
            merged = ", ".join(f"{o.name} (#{o.pk})" for o in others)
            self.message_user(
                request,
                f"Merged {len(others)} speaker{'s' if len(others) != 1 else ''} into {keep} (#{keep.pk}): {merged}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "form": form,
            "speakers": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/speaker/merge.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "speaker", "normalized")
    search_fields = ("alias", "normalized", "speaker__name")
    autocomplete_fields = ("speaker",)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "speaker", "article", "direct", "cue", "confidence", "origin")
    list_filter = ("direct", "origin", "cue")
    search_fields = ("text", "speaker__name", "attribution", "article__title")
    autocomplete_fields = ("speaker",)
    raw_id_fields = ("article",)
    list_select_related = ("speaker", "article")

    def save_model(self, request, obj, form, change):
        if change and obj.origin == "machine":
            from django.utils import timezone

            obj.touched_at = timezone.now()  # a person's edit: re-extraction keeps it
        super().save_model(request, obj, form, change)


# Claims -----------------------------------------------------------------------------------


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


class AssignFields(forms.Form):
    """The extra boxes next to the claim actions: who, how urgent, by when."""

    assignee = forms.ModelChoiceField(queryset=queries.workbench_people(), required=False, label="Reviewer")
    priority = forms.TypedChoiceField(
        choices=[("", "---"), *Claim.Priority.choices], coerce=int, empty_value=None, required=False
    )
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AssignForm(admin.helpers.ActionForm, AssignFields):
    pass


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
            current = Claim.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != seen:
                last = self.instance.history.select_related("history_user").first()
                who = last.history_user if last and last.history_user else "someone else"
                raise ValidationError(
                    f"{who} changed this claim since you opened it. Your edits are still in the "
                    "form: reload the page in another tab to see theirs, then save again.",
                    code="stale",
                )
        return self.cleaned_data


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
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
    action_form = AssignForm
    actions = ["accept", "dismiss", "assign", "set_priority", "approve"]
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
            obj._history_user = request.user
            obj.save()
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

    @admin.action(description="Accept the selected candidate claims")
    def accept(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda c: workflow.claim_accept(claim=c, by=request.user, version=_read_version(request, c)),
            "accepted",
        )

    @admin.action(description="Dismiss the selected candidate claims")
    def dismiss(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda c: workflow.claim_dismiss(claim=c, by=request.user, version=_read_version(request, c)),
            "dismissed",
        )

    @admin.action(description="Assign the selected claims to the chosen reviewer (candidates are accepted first)")
    def assign(self, request, queryset):
        form = AssignFields(request.POST)
        if not form.is_valid() or not form.cleaned_data["assignee"]:
            errors = " ".join(e for errs in form.errors.values() for e in errs) if form.errors else ""
            self.message_user(
                request, errors or "Choose a reviewer in the box next to the action; nothing was done.", messages.ERROR
            )
            return
        data = form.cleaned_data
        due = data["due_date"]
        if due is not None and due < timezone.localdate():  # refused as the workbench refuses it
            self.message_user(request, f"The due date {due:%d %b %Y} is in the past; nothing was done.", messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda c: writes.claim_accept_and_assign(
                claim=c,
                by=request.user,
                assignee=data["assignee"],
                due_date=data["due_date"],
                priority=data["priority"],
                version=_read_version(request, c),
            ),
            f"assigned to {data['assignee']}",
        )

    @admin.action(description="Set the chosen priority on the selected claims")
    def set_priority(self, request, queryset):
        form = AssignFields(request.POST)
        if not form.is_valid() or form.cleaned_data["priority"] is None:
            self.message_user(request, "Choose a priority in the box next to the action.", messages.ERROR)
            return
        priority = form.cleaned_data["priority"]
        _run(
            self,
            request,
            queryset,
            lambda c: workflow.claim_edit(
                claim=c, by=request.user, priority=priority, version=_read_version(request, c)
            ),
            "given the chosen priority",
        )

    @admin.action(description="Approve and publish the submitted verdicts of the selected claims")
    def approve(self, request, queryset):
        verdicts = Verdict.objects.filter(claim__in=queryset, state=Verdict.State.SUBMITTED).select_related("claim")
        with_verdict = {v.claim_id for v in verdicts}
        nothing = [
            f"Claim #{c.pk}: no verdict waits for approval (the claim is {c.get_status_display().lower()})."
            for c in queryset.order_by("pk")
            if c.pk not in with_verdict
        ]
        return _approve_confirmed(self, request, verdicts, selected=queryset, action="approve", refusals=nothing)


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
        return _approve_confirmed(self, request, queryset.select_related("claim"), selected=queryset, action="approve")


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


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "value", "order", "colour")
    list_editable = ("order",)
    search_fields = ("label", "description")
    prepopulated_fields = {"slug": ("label",)}


from .admin_external import *  # noqa: E402,F403
from .admin_partner import *  # noqa: E402,F403
from .admin_sources import *  # noqa: E402,F403
