"""Documents the tool writes (議事次第, 座席表, 委員名簿, 現地視察報告 …), made by background
jobs and kept with a checksum of their inputs, so an unchanged session is not regenerated
and a changed one shows as stale."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import is_dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports.data import PlatformWorkbook
from secretariat.council.models import Platform
from secretariat.meetings.models import Session


def generated_name(instance: GeneratedFile, filename: str) -> str:
    return f"generated/{uuid.uuid4().hex}.{instance.extension}"


class GeneratedFile(models.Model):
    class Kind(models.TextChoices):
        AGENDA = "agenda", _("議事次第")
        SEATING = "seating", _("座席表")
        ROSTER = "roster", _("委員名簿")
        SITE_VISIT_REPORT = "site_visit_report", _("現地視察報告")
        SUMMARY_MINUTES = "summary_minutes", _("議事要旨")
        VERBATIM_MINUTES = "verbatim_minutes", _("議事録")
        SESSION_WORKBOOK = "session_workbook", _("会議の記録（Excel）")
        PLATFORM_WORKBOOK = "platform_workbook", _("会議体の記録（Excel）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("作成待ち")
        RUNNING = "running", _("作成中")
        DONE = "done", _("作成済み")
        FAILED = "failed", _("失敗")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="generated_files")
    # Empty for the platform's own documents (the platform workbook).
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="generated_files"
    )
    kind = models.CharField(_("文書"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("エラー"), blank=True)
    file = models.FileField(upload_to=generated_name, max_length=200, blank=True)
    # SHA-256 of the plain data the file was rendered from.
    input_checksum = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("作成日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("作成文書")
        verbose_name_plural = _("作成文書")
        ordering = ["session", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "session", "kind"], name="one_generated_file_per_kind"
            ),
            models.UniqueConstraint(
                fields=["platform", "kind"],
                condition=models.Q(session__isnull=True),
                name="one_platform_file_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_title} {self.get_kind_display()}"

    @property
    def owner_title(self) -> str:
        return (
            self.session.title if self.session else self.platform.short_name or self.platform.name
        )

    def build_data(self) -> object:
        """The plain data this document is rendered from, read from the database now."""
        from secretariat.minutes.data import (
            minutes_doc,
            platform_workbook,
            session_workbook,
        )

        if self.kind == self.Kind.PLATFORM_WORKBOOK:
            return platform_workbook(self.platform)
        session = self.session
        assert session is not None
        if self.kind in (self.Kind.SUMMARY_MINUTES, self.Kind.VERBATIM_MINUTES):
            return minutes_doc(session, verbatim=self.kind == self.Kind.VERBATIM_MINUTES)
        if self.kind == self.Kind.SESSION_WORKBOOK:
            return session_workbook(session)
        if self.kind == self.Kind.AGENDA:
            return session.to_agenda_doc()
        if self.kind == self.Kind.SEATING:
            return session.to_seating_doc()
        if self.kind == self.Kind.ROSTER:
            return session.platform.to_roster(session.date or timezone.localdate())
        return session.site_visit.to_report_doc()

    def render(self, data: object) -> bytes:
        # Imported here: only the worker writes documents, the web processes need not
        # load python-docx.
        from exports import docx, xlsx

        renderer = {
            self.Kind.AGENDA: docx.render_agenda,
            self.Kind.SEATING: docx.render_seating,
            self.Kind.ROSTER: docx.render_roster,
            self.Kind.SITE_VISIT_REPORT: docx.render_site_visit_report,
            self.Kind.SUMMARY_MINUTES: docx.render_minutes,
            self.Kind.VERBATIM_MINUTES: docx.render_minutes,
            self.Kind.SESSION_WORKBOOK: xlsx.render_session_workbook,
            self.Kind.PLATFORM_WORKBOOK: xlsx.render_platform_workbook,
        }[self.Kind(self.kind)]
        return renderer(data)  # type: ignore[operator]

    @staticmethod
    def checksum(data: object) -> str:
        """SHA-256 of the inputs. Frozen dataclasses have a deterministic repr (photos
        included, as bytes); the time of building is not an input, and the platform
        workbook's matrix is hashed row by row, never held whole."""
        digest = hashlib.sha256()
        if is_dataclass(data) and hasattr(data, "generated_at"):
            data = replace(data, generated_at=datetime.min.replace(tzinfo=UTC))  # type: ignore[type-var]
        if isinstance(data, PlatformWorkbook):
            digest.update(repr(replace(data, attendance=())).encode())
            for row in data.attendance:
                digest.update(repr(row).encode())
        else:
            digest.update(repr(data).encode())
        return digest.hexdigest()

    def is_stale(self) -> bool:
        """The inputs changed since the file was made (or it was never made)."""
        return self.status != self.Status.DONE or self.input_checksum != self.checksum(
            self.build_data()
        )

    @property
    def extension(self) -> str:
        return "xlsx" if self.kind in WORKBOOKS else "docx"

    @property
    def download_name(self) -> str:
        return f"{self.owner_title}_{self.get_kind_display()}.{self.extension}"


WORKBOOKS = {GeneratedFile.Kind.SESSION_WORKBOOK, GeneratedFile.Kind.PLATFORM_WORKBOOK}
