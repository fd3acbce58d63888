"""The reviewer workbench (login required)."""

urlpatterns: list = []
