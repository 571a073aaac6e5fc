"""A withdrawal made before withdrawals froze the notice keeps the page of the
publication it withdrew, so that the public sees no edit made since that publication."""

from django.db import migrations


def fill(apps, schema_editor):
    Publication = apps.get_model("publishing", "Publication")
    for withdrawal in Publication.objects.filter(kind="withdrawn", page__isnull=True):
        before = (
            Publication.objects.filter(
                session_id=withdrawal.session_id, number__lt=withdrawal.number, page__isnull=False
            )
            .exclude(kind="withdrawn")
            .order_by("-number")
            .first()
        )
        if before is not None:
            withdrawal.page = before.page
            withdrawal.save(update_fields=["page"])


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_trust_publication_page_and_takedown")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
