"""The reviewer workbench (login required). Sign-in and sign-out keep the plain names
"login" and "logout" that the settings use; the rest is namespaced "claims:"."""

from django.urls import include, path

from .views import accounts, articles, claim, dashboard, evidence, lists, notifications, search, verdict

workbench_patterns = [
    path("", lists.queue, name="queue"),
    path("work/<slug:name>/", lists.worklist, name="worklist"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", notifications.notification_settings, name="notification_settings"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("triage/", lists.triage, name="triage"),
    path("triage/bulk/", lists.triage_bulk, name="triage_bulk"),
    path("triage/bulk/undo/", lists.triage_bulk_undo, name="triage_bulk_undo"),
    path("search/", search.search, name="search"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("claims/<int:pk>/", claim.claim_page, name="claim"),
    path("claims/<int:pk>/section/<slug:section>/", claim.claim_section, name="claim_section"),
    path("claims/<int:pk>/edit/", claim.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/accept/", lists.claim_accept, name="claim_accept"),
    path("claims/<int:pk>/dismiss/", lists.claim_dismiss, name="claim_dismiss"),
    path("claims/<int:pk>/undo/", lists.claim_undo, name="claim_undo"),
    path("claims/<int:pk>/duplicate/", lists.claim_duplicate, name="claim_duplicate"),
    path("claims/<int:pk>/assign/", lists.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/verdict/", verdict.verdict_save, name="verdict_save"),
    path("claims/<int:pk>/verdict/approve/", verdict.verdict_approve, name="verdict_approve"),
    path("claims/<int:pk>/verdict/return/", verdict.verdict_return, name="verdict_return"),
    path("claims/<int:pk>/correct/", claim.claim_correct, name="claim_correct"),
    path("claims/<int:pk>/evidence/", evidence.evidence_add, name="evidence_add"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/edit/", evidence.evidence_edit, name="evidence_edit"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("claims/<int:pk>/comments/", evidence.comment_add, name="comment_add"),
    path("articles/new/", articles.article_submit, name="article_submit"),
    path("articles/<int:pk>/", articles.article_page, name="article"),
    path("articles/<int:pk>/progress/", articles.article_progress, name="article_progress"),
    path("articles/<int:pk>/retry/", articles.article_retry, name="article_retry"),
    path("articles/<int:pk>/claims/", articles.article_claim_add, name="article_claim_add"),
]

urlpatterns = [
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("", include((workbench_patterns, "claims"))),
]
