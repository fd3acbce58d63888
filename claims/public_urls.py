"""Public pages: published fact-checks, readable without a login."""

urlpatterns: list = []
