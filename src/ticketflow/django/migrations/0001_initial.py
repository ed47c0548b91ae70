"""The ticket state table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="TicketState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ticket_id", models.CharField(max_length=255, unique=True)),
                ("workflow", models.CharField(db_index=True, max_length=255)),
                (
                    "workflow_version",
                    models.CharField(blank=True, db_index=True, default="", max_length=64),
                ),
                ("status", models.CharField(db_index=True, max_length=255)),
                ("category", models.CharField(db_index=True, max_length=16)),
                ("version", models.PositiveIntegerField(db_index=True)),
                ("next_deadline", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("updated_at", models.DateTimeField(db_index=True)),
                ("snapshot", models.JSONField()),
            ],
            options={
                "verbose_name": "ticket state",
                "ordering": ("ticket_id",),
            },
        ),
    ]
