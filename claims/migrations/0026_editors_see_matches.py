"""Editors see a claim's matches in the admin: the "already checked?" inline on the claim's
page (and the matches on an imported fact-check's) needs the view permission, which the
Editor group never received when the match models came."""

from django.db import migrations

EDITOR_PERMISSIONS = ["view_claimmatch", "view_externalmatch"]


def editors_see_matches(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("claims")
    app_config.models_module = True  # as in 0002: the migration's app stub has none
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=EDITOR_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0025_claim_matches_pending")]

    operations = [migrations.RunPython(editors_see_matches, migrations.RunPython.noop)]
