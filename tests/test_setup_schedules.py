from django.core.management import call_command
from django_q.models import Schedule


def test_schedules_are_created_once_and_point_at_real_functions(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    names = set(Schedule.objects.values_list("name", flat=True))
    assert names == {
        "retry-failed-deliveries",
        "send-reply-reminders",
        "remind-late-presenters",
        "minutes-confirmation-deadlines",
        "purge-gallery-registrations",
        "revoke-former-members-calendars",
    }
    from importlib import import_module

    for schedule in Schedule.objects.all():
        module, function = schedule.func.rsplit(".", 1)
        assert callable(getattr(import_module(module), function)), schedule.func
