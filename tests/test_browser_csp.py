"""In a real browser, offline: the pages run under their Content-Security-Policy without a
single violation, htmx and the app's script load, and the API docs (Swagger UI, ReDoc)
render from the app's own files."""

from __future__ import annotations

import pytest

from .factories import PASSWORD, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pages_keep_to_their_policy_and_the_docs_render_offline(live_server, browser, editor):
    claim = ClaimFactory()
    context = browser.new_context(base_url=live_server.url)
    outside: list[str] = []

    def local_only(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:  # offline: nothing may come from elsewhere
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.on("pageerror", lambda exc: violations.append(str(exc)))

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    for path in ("/", f"/claims/{claim.pk}/", "/triage/", "/dashboard/", "/fact-checks/", "/admin/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if not path.startswith(("/admin", "/fact-checks")):
            assert page.evaluate("typeof htmx") == "object", path  # htmx ran, from 'self'

    assert violations == []  # the workbench, the public pages and the admin
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Fact-check workbench API" in page.inner_text(".swagger-ui .info .title")
    page.goto("/api/redoc/")
    page.wait_for_selector("h1", timeout=20_000)
    assert "Fact-check workbench API" in page.inner_text("h1")
    context.close()
    # ReDoc shows its vendor's logo from their CDN: the policy blocks it, as it should.
    assert [v for v in violations if "cdn.redoc.ly" not in v or "img-src" not in v] == []
    assert outside == []
