"""The project as a whole: production settings, migrations, lint, commands."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Article

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "HTTPS")}
    environment.update(env)
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout)


def test_deploy_check_is_clean_with_production_settings():
    result = run(
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="factcheck.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run(sys.executable, "manage.py", "check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = run(sys.executable, "manage.py", "check", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_migrations_match_the_models():
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    result = run(str(ruff), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is():
    ruff = Path(sys.executable).with_name("ruff")
    result = run(str(ruff), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_error():
    # The files, plugins and strictness are in pyproject.toml. A cold run takes a minute or two.
    mypy = Path(sys.executable).with_name("mypy")
    if not mypy.exists():
        pytest.skip("mypy is not installed (it comes with requirements-dev.txt)")
    result = run(str(mypy), timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_seed_demo_prints_logins_and_loads_the_demo_article(capsys):
    call_command("seed_demo", password="demo-password-1")
    out = capsys.readouterr().out
    assert "Login (editor): editor / demo-password-1" in out
    assert "Login (editor): editor2 / demo-password-1" in out  # the second pair of eyes
    assert "Login (reviewer): reviewer / demo-password-1" in out
    from django.contrib.auth import get_user_model

    from claims import roles

    people = {u.username: u for u in get_user_model().objects.all()}
    assert roles.is_editor(people["editor"]) and roles.is_editor(people["editor2"])
    assert roles.is_reviewer(people["reviewer"]) and not roles.is_editor(people["reviewer"])
    article = Article.objects.get()
    assert "Stoltenberg" in article.body and article.title.startswith("Ukraine is")
    call_command("seed_demo", password="demo-password-2")  # again: no duplicate article
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_ingest_command_takes_urls_and_files_and_reports_refusals(tmp_path, site, article_html, capsys):
    from .support import Route

    story = tmp_path / "budget-story.txt"
    story.write_text("The mayor said crime fell by 12% in 2023.", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(article_html, encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# a list\n{site.add('/a', Route(body=b'x'))}\n", encoding="utf-8")
    call_command("ingest", str(story), str(page), str(tmp_path / "missing.txt"), "--url-list", str(urls))
    captured = capsys.readouterr()
    assert "3 queued, 0 already present, 1 refused." in captured.out
    assert "No such file" in captured.err
    assert Article.objects.count() == 3
