"""Seed the default verdict scale and the Reviewer, Editor and Partner groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RATINGS = [
    # label, slug, ClaimReview value, colour, description
    ("True", "true", 5, "#1a7f37", "The statement is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "#6aa84f", "Accurate, but needs clarification or additional information."),
    ("Half true", "half-true", 3, "#d4a017", "Partially accurate but leaves out important details or takes things out of context."),
    ("Mostly false", "mostly-false", 2, "#e06c00", "Contains an element of truth but ignores facts that would give a different impression."),
    ("False", "false", 1, "#c62828", "The statement is not accurate."),
    ("Misleading", "misleading", None, "#8e44ad", "Accurate facts presented so as to give a false impression."),
    ("Unverifiable", "unverifiable", None, "#607d8b", "The evidence available does not allow a conclusion."),
]

EVERY_MODEL = ["article", "speaker", "speakeralias", "quote", "claim", "rating", "verdict", "evidence", "comment"]
EDITOR = [f"{action}_{model}" for model in EVERY_MODEL for action in ("add", "change", "delete", "view")]
EDITOR += ["triage_claim", "review_claim", "approve_verdict"]
REVIEWER = [f"view_{model}" for model in EVERY_MODEL]
REVIEWER += ["add_evidence", "change_evidence", "delete_evidence", "add_comment", "add_verdict", "change_verdict", "review_claim"]


def seed(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for order, (label, slug, value, colour, description) in enumerate(RATINGS):
        Rating.objects.update_or_create(
            slug=slug, defaults={"label": label, "value": value, "order": order, "colour": colour, "description": description}
        )
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True  # a migration's app stub has none; the signal needs one
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editor", EDITOR), ("Reviewer", REVIEWER), ("Partner", [])):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
