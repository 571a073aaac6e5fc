"""Load the demo platform from the seed and a staff login (safe to run again)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from secretariat.council.models import StaffAssignment
from secretariat.demo import STAFF_USERNAME, load_demo_platform

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "デモ用の会議体（公共サービスイノベーション・プラットフォーム）を読み込みます。"

    def handle(self, *args: Any, **options: Any) -> None:
        platform, created = load_demo_platform()
        self.stdout.write(
            f"{platform.name}: " + ("読み込みました。" if created else "読み込み済みです。")
        )
        User = get_user_model()
        # New random passwords on every run: nothing to commit, nothing to guess.
        staff_password = secrets.token_urlsafe(12)
        staff, _ = User.objects.get_or_create(username=STAFF_USERNAME)
        staff.set_password(staff_password)
        staff.save()
        StaffAssignment.objects.get_or_create(
            platform=platform, user=staff, defaults={"role": StaffAssignment.Role.EDITOR}
        )
        admin_password = secrets.token_urlsafe(12)
        admin, _ = User.objects.get_or_create(username=ADMIN_USERNAME)
        admin.is_staff = admin.is_superuser = True
        admin.set_password(admin_password)
        admin.save()
        self.stdout.write(f"事務局ログイン: {STAFF_USERNAME} / {staff_password}")
        self.stdout.write(f"管理者ログイン（/admin/）: {ADMIN_USERNAME} / {admin_password}")
