"""Write the public site as static files (for a ministry's own web server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from secretariat.publishing.static_site import ExportFolderError, export_site


class Command(BaseCommand):
    help = (
        "公開サイト（会議一覧・会議ページ・資料・一括ダウンロード・フィード）を"
        "静的なファイルに書き出します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=settings.PUBLIC_EXPORT_DIR, help="書き出し先のフォルダ"
        )
        parser.add_argument(
            "--base-url",
            default=settings.PUBLIC_SITE_URL,
            help="公開するサイトのURL（フィードとカレンダーのリンクに使います）",
        )

    def handle(self, *args: Any, output: Path, base_url: str, **options: Any) -> None:
        try:
            report = export_site(output, base_url=base_url)
        except ExportFolderError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{output}: 書き出し {len(report.written)}件、変更なし {report.unchanged}件、"
            f"削除 {len(report.removed)}件"
        )
        for link in report.dangling:
            self.stderr.write(f"リンク先が書き出されていません: {link}")
