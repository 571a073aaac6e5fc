"""Create or update the recurring background jobs (safe to run on every deployment)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_q.models import Schedule

SCHEDULES = [
    # (name, function, schedule type, minutes)
    (
        "retry-failed-deliveries",
        "secretariat.meetings.tasks.retry_failed_deliveries",
        Schedule.MINUTES,
        10,
    ),
    (
        "send-reply-reminders",
        "secretariat.meetings.tasks.send_reply_reminders",
        Schedule.HOURLY,
        None,
    ),
    ("remind-late-presenters", "documents.tasks.remind_late_presenters", Schedule.HOURLY, None),
    (
        "minutes-confirmation-deadlines",
        "secretariat.minutes.tasks.confirmation_deadlines",
        Schedule.HOURLY,
        None,
    ),
    (
        "purge-gallery-registrations",
        "secretariat.meetings.tasks.purge_gallery_registrations",
        Schedule.DAILY,
        None,
    ),
    (
        "revoke-former-members-calendars",
        "secretariat.meetings.tasks.revoke_former_members_calendars",
        Schedule.DAILY,
        None,
    ),
]


class Command(BaseCommand):
    help = (
        "定期的なバックグラウンド処理（再送、出欠と資料提出の督促、傍聴者情報の削除）を登録します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, func, schedule_type, minutes in SCHEDULES:
            Schedule.objects.update_or_create(
                name=name,
                defaults={
                    "func": func,
                    "schedule_type": schedule_type,
                    "minutes": minutes,
                    "repeats": -1,
                },
            )
        names = [name for name, *_ in SCHEDULES]
        self.stdout.write(f"定期処理を登録しました: {', '.join(names)}")
