"""Deadlines stored before dates were bounded (1989-01-08 to 2100-12-31) are moved to the
nearest bound: one at 0001-01-01 made every page that shows it fail, and a deadline
before 1989 is as past, and one after 2100 as far, as the bound itself."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations

TOKYO = ZoneInfo("Asia/Tokyo")
LOW = datetime(1989, 1, 8, 0, 0, tzinfo=TOKYO)
HIGH = datetime.combine(datetime(2100, 12, 31).date(), time(23, 59), tzinfo=TOKYO)
FIELDS = [
    ("meetings", "Session", "reply_deadline"),
    ("meetings", "Session", "gallery_deadline"),
    ("meetings", "Presenter", "upload_deadline"),
    ("minutes", "Minutes", "confirmation_deadline"),
]


def clamp(apps, schema_editor):
    for app, model, field in FIELDS:
        manager = apps.get_model(app, model)._base_manager
        manager.filter(**{f"{field}__lt": LOW}).update(**{field: LOW})
        manager.filter(**{f"{field}__gt": HIGH}).update(**{field: HIGH})


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0003_trust_bounds"),
        ("meetings", "0007_trust_bounds"),
    ]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
