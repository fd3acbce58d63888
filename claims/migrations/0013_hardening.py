"""Reviewers keep only what the workflow gives them; webhook deliveries know when they are due.

The Reviewer group carried model permissions to add, change and delete any evidence, verdict
and comment: harmless in the workbench, which checks the assignment, but a reviewer made staff
could use them in the admin on claims not assigned to them. The workbench checks
`review_claim` and the assignment; the group keeps that and the view permissions.
"""

from django.db import migrations, models

REVIEWER_WRITES = [
    "add_evidence",
    "change_evidence",
    "delete_evidence",
    "add_verdict",
    "change_verdict",
    "add_comment",
]


def _reviewer_write_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Reviewer").first()
    permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=REVIEWER_WRITES)
    return group, permissions


def remove_reviewer_writes(apps, schema_editor):
    group, permissions = _reviewer_write_permissions(apps)
    if group is not None:
        group.permissions.remove(*permissions)


def restore_reviewer_writes(apps, schema_editor):
    group, permissions = _reviewer_write_permissions(apps)
    if group is not None:
        group.permissions.add(*permissions)


def due_now(apps, schema_editor):
    WebhookDelivery = apps.get_model("claims", "WebhookDelivery")
    WebhookDelivery.objects.filter(status__in=["pending", "retrying"]).update(
        next_attempt_at=models.functions.Coalesce("last_attempt_at", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_gin_indexes_without_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ),
        migrations.RunPython(due_now, migrations.RunPython.noop),
        migrations.RunPython(remove_reviewer_writes, restore_reviewer_writes),
    ]
