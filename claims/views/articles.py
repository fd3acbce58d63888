"""Submitting an article and following its job; reading it with quotes and claims marked;
making a claim from a passage by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .. import queries, services
from ..extraction.lexicon import SUPPORTED_LANGUAGES
from ..failures import failure_explain
from ..forms import ArticleSubmitForm, PassageClaimForm
from ..models import Article
from .base import WorkbenchRequest, editors_only, workbench

DONE = (Article.Status.READY, Article.Status.FAILED)
# Messages saying a job has started; the article's page leaves them out once the job has
# failed, so a green "queued" never sits over the failure (it may fail before the page shows).
JOB_NEWS = "job"
STEPS: list[str] = [Article.Status.PENDING, Article.Status.FETCHING, Article.Status.EXTRACTING, Article.Status.READY]


@workbench
def article_submit(request: WorkbenchRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = ArticleSubmitForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = form.submit(by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            tell = messages.success if submission.created else messages.info
            tell(request, submission.message, extra_tags=JOB_NEWS)
            return redirect("claims:article", pk=submission.article.pk)
    recent = queries.recent_articles()
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "claims/article_submit.html", {"form": form, "recent": recent}, status=status)


def _progress(article: Article) -> dict:
    failed = article.status == Article.Status.FAILED
    reached = STEPS.index(article.status) if article.status in STEPS else -1
    steps = [
        {
            "label": Article.Status(s).label,
            "done": i < reached or article.status == Article.Status.READY,
            "current": i == reached and not failed,
        }
        for i, s in enumerate(STEPS)
    ]
    return {
        "article": article,
        "steps": steps,
        "failed": failed,
        "failure": failure_explain(article.error) if failed else None,
        "hide_job_news": failed,
        "running": article.status not in DONE,
    }


@workbench
def article_progress(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """The job's progress, polled by the page while it runs. When it ends, the page reloads
    to show the text with its quotes and claims."""
    article = get_object_or_404(queries.articles_for_progress(), pk=pk)
    response = TemplateResponse(request, "claims/_article_progress.html", _progress(article))
    if request.htmx and article.status in DONE:
        response["HX-Refresh"] = "true"
    return response


@workbench
def article_page(request: WorkbenchRequest, pk: int) -> HttpResponse:
    return _article_page(request, pk)


def _article_page(
    request: WorkbenchRequest, pk: int, form: PassageClaimForm | None = None, status: int = 200
) -> HttpResponse:
    """The article page; a refused passage form comes back on it with its errors."""
    article = get_object_or_404(queries.articles_for_page(), pk=pk)
    segments, legend, claims, quotes = queries.article_marks(article)
    speakers = queries.legend_speakers(legend)
    context = {
        **_progress(article),
        "segments": segments,
        "legend": legend,
        "claims": claims,
        "quotes": quotes,
        "passage_form": form or PassageClaimForm(speakers=speakers),
        "language_unsupported": bool(article.language)
        and article.language not in SUPPORTED_LANGUAGES
        and article.status == Article.Status.READY,
    }
    return TemplateResponse(request, "claims/article.html", context, status=status)


@require_POST
@workbench
def article_retry(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Editors start a failed article's job again."""
    editors_only(request, "retry a failed article")
    article = get_object_or_404(Article, pk=pk)
    try:
        services.article_retry(article=article)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, f"Article #{article.pk}: trying again.", extra_tags=JOB_NEWS)
    return redirect("claims:article", pk=article.pk)


@require_POST
@workbench
def article_claim_add(request: WorkbenchRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = PassageClaimForm(request.POST)
    if not form.is_valid():
        return _article_page(request, pk, form=form, status=400)
    data = form.cleaned_data
    try:
        claim = services.claim_create_from_passage(
            article=article,
            by=request.user,
            text=data["text"],
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            speaker=data["speaker"],
        )
    except ValidationError as exc:
        form.add_error("text", exc)
        return _article_page(request, pk, form=form, status=400)
    messages.success(request, f"Claim #{claim.pk} added as a candidate for triage.")
    return redirect("claims:claim", pk=claim.pk)
