"""Workflows on minutes: drafting (never losing an edit), importing a transcript, speaker
confirmation, the chair's approval and revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from exports.text import plain_text
from secretariat.meetings.models import Attendance, Session
from secretariat.minutes.models import (
    CorrectionProposal,
    Minutes,
    MinutesRevision,
    SpeakerConfirmation,
    Statement,
    speaker_label,
)
from secretariat.minutes.transcript import ParsedTranscript, normalise, parse_transcript


class EditConflict(ValidationError):
    """Someone else saved the minutes after this editor opened them."""


@dataclass(frozen=True)
class StatementInput:
    agenda_item: int | None
    speaker: int
    text: str
    id: int | None = None  # the statement edited; None for a new one


def existing_minutes(session: Session) -> Minutes:
    """The session's minutes, or an unsaved empty one: reading never creates them."""
    return Minutes.objects.filter(session=session).first() or Minutes(session=session)


def minutes_for(session: Session) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(session=session)
    return minutes


def speaker_directory(session: Session) -> dict[str, int]:
    """Every way a transcript may name an attendee, normalised, to the attendance id."""
    directory: dict[str, int] = {}
    attendances = session.attendances.select_related("invitation__membership__person")
    for attendance in attendances:
        names = {speaker_label(attendance), attendance.name}
        membership = attendance.invitation.membership if attendance.invitation else None
        if membership and membership.person and attendance.capacity != Attendance.Capacity.PROXY:
            person = membership.person
            names |= {person.family_name, f"{person.family_name}委員", person.full_name}
        for name in names:
            if name:
                directory.setdefault(normalise(name), attendance.pk)
    return directory


def _snapshot(minutes: Minutes) -> dict[str, object]:
    return {
        "status": minutes.status,
        "summary": minutes.summary,
        # The chair's approval, so that an override and its reason outlive a new revision.
        "approved_at": minutes.approved_at.isoformat() if minutes.approved_at else None,
        "approved_by": minutes.approved_by.get_username() if minutes.approved_by else None,
        "approval_override": minutes.approval_override,
        "approval_note": minutes.approval_note,
        "statements": [
            {
                "order": s.order,
                "agenda_item": s.agenda_item_id,
                "speaker": speaker_label(s.speaker),
                "text": s.text,
                "confirmation": s.confirmation,
            }
            for s in minutes.statements.select_related("speaker__invitation__membership__person")
        ],
    }


def _record(minutes: Minutes, by: AbstractBaseUser | None, note: str) -> None:
    MinutesRevision.objects.create(
        minutes=minutes,
        revision=minutes.revision,
        version=minutes.version,
        created_by=by,
        note=note,
        snapshot=_snapshot(minutes),
    )


def _claim(minutes: Minutes, version: int) -> None:
    """Take the next version, or fail if someone saved since `version` was read."""
    if minutes.locked:
        raise ValidationError(
            _("座長了解済みの議事録は変更できません。「改訂を始める」から変更してください。")
        )
    updated = Minutes.objects.filter(pk=minutes.pk, version=version).update(
        version=F("version") + 1
    )
    if not updated:
        raise EditConflict(
            _(
                "ほかの方がこの議事録を先に保存しました。あなたの入力は下に残っています。"
                "ページを開き直して最新の内容を確認してから、もう一度反映してください。"
            )
        )
    minutes.version = version + 1


def save_minutes(
    *,
    minutes: Minutes,
    version: int,
    summary: str,
    statements: list[StatementInput],
    by: AbstractBaseUser,
) -> Minutes:
    """Replace the summary and the statements, unless someone saved in between."""
    attendees = set(minutes.session.attendances.values_list("pk", flat=True))
    if any(s.speaker not in attendees for s in statements):
        raise ValidationError(_("発言者はこの会議の出席者から選んでください。"))
    with transaction.atomic():
        _claim(minutes, version)
        minutes.summary = plain_text(summary)
        minutes.save(update_fields=["summary", "updated_at"])
        # Matched by id, not by position: a statement keeps its confirmation and its
        # correction proposals when another one is deleted or inserted before it.
        existing = {s.pk: s for s in minutes.statements.all()}
        keep: list[Statement] = []
        for order, given in enumerate(statements, start=1):
            statement = existing.pop(given.id, None) if given.id else None
            if statement is None:
                statement = Statement(minutes=minutes)
            text = plain_text(given.text)
            # Saving the page unchanged must not undo the speakers' confirmations.
            changed = statement.text != text or statement.speaker_id != given.speaker
            statement.order = order
            statement.agenda_item_id = given.agenda_item
            statement.speaker_id = given.speaker
            statement.text = text
            if changed:
                statement.confirmation = Statement.Confirmation.PENDING
            statement.save()
            keep.append(statement)
        minutes.statements.exclude(pk__in=[s.pk for s in keep]).delete()
        _record(minutes, by, _("編集"))
    return minutes


def import_transcript(
    *, minutes: Minutes, version: int, text: str, by: AbstractBaseUser
) -> ParsedTranscript:
    """Append the statements a pasted transcript holds; return what could not be read."""
    session = minutes.session
    items = [
        (item.pk, number, item.title) for number, item in enumerate(session.agenda_items.all(), 1)
    ]
    parsed = parse_transcript(text, speaker_directory(session), items)
    if not parsed.statements:
        return parsed
    with transaction.atomic():
        _claim(minutes, version)
        start = minutes.statements.count()
        Statement.objects.bulk_create(
            Statement(
                minutes=minutes,
                order=start + n,
                agenda_item_id=s.agenda_item,
                speaker_id=s.speaker,
                text=s.text,
            )
            for n, s in enumerate(parsed.statements, start=1)
        )
        minutes.save(update_fields=["updated_at"])
        _record(
            minutes, by, _("発言録の取り込み（%(count)d件）") % {"count": len(parsed.statements)}
        )
    return parsed


# Speaker confirmation


def speaker_email(attendance: Attendance) -> str:
    invitation = attendance.invitation
    return invitation.membership.email if invitation else ""


def request_confirmations(
    *, minutes: Minutes, deadline: datetime, by: AbstractBaseUser
) -> list[str]:
    """Ask every speaker to confirm their own statements by `deadline`. Return the
    speakers who cannot be asked (no address)."""
    if minutes.locked:
        raise ValidationError(_("座長了解済みの議事録です。"))
    speakers = {
        s.speaker
        for s in minutes.statements.select_related("speaker__invitation__membership__person")
    }
    if not speakers:
        raise ValidationError(_("確認を依頼する発言がありません。"))
    unreachable = []
    with transaction.atomic():
        minutes.confirmation_deadline = deadline
        minutes.status = Minutes.Status.CONFIRMING
        minutes.save(update_fields=["confirmation_deadline", "status", "updated_at"])
        # The secretariat is not asked (below): its own words count as confirmed, or no
        # minutes in which it spoke could be approved without an override.
        minutes.statements.filter(
            speaker__capacity=Attendance.Capacity.SECRETARIAT,
            confirmation=Statement.Confirmation.PENDING,
        ).update(confirmation=Statement.Confirmation.CONFIRMED)
        for speaker in speakers:
            email = speaker_email(speaker)
            if speaker.capacity == Attendance.Capacity.SECRETARIAT:
                continue  # the secretariat checks its own words
            if not email:
                unreachable.append(speaker_label(speaker))
                continue
            SpeakerConfirmation.objects.get_or_create(
                minutes=minutes, speaker=speaker, defaults={"email": email}
            )
        _record(minutes, by, _("発言者確認の依頼"))
        transaction.on_commit(
            partial(async_task, "secretariat.minutes.tasks.send_confirmation_requests", minutes.pk)
        )
    return sorted(unreachable)


def respond(
    *,
    confirmation: SpeakerConfirmation,
    answers: dict[int, tuple[str, str]],
    now: datetime,
) -> None:
    """The speaker's answers, {statement id: (proposed text or "" to approve, comment)}.
    Only their own statements; not after the deadline or the chair's approval."""
    minutes = confirmation.minutes
    if minutes.locked:
        raise ValidationError(_("この議事録は確定しました。修正は事務局にご連絡ください。"))
    if minutes.confirmation_deadline and now > minutes.confirmation_deadline:
        raise ValidationError(_("確認の期限を過ぎました。修正は事務局にご連絡ください。"))
    own = {s.pk: s for s in minutes.statements.filter(speaker=confirmation.speaker)}
    if set(answers) - set(own):
        raise ValidationError(_("ご自身の発言のみ確認できます。"))
    with transaction.atomic():
        for statement_id, (proposed, comment) in answers.items():
            statement = own[statement_id]
            proposed = plain_text(proposed).strip()
            if proposed and proposed != statement.text:
                CorrectionProposal.objects.create(
                    statement=statement,
                    original_text=statement.text,
                    proposed_text=proposed,
                    comment=plain_text(comment).strip(),
                )
            else:
                statement.confirmation = Statement.Confirmation.CONFIRMED
                statement.save(update_fields=["confirmation"])
        confirmation.responded_at = now
        confirmation.save(update_fields=["responded_at"])


def decide(
    *, proposal: CorrectionProposal, accept: bool, by: AbstractBaseUser, now: datetime
) -> None:
    """Staff accept a proposed correction (the statement takes the new text) or reject it."""
    if proposal.decision != CorrectionProposal.Decision.PENDING:
        raise ValidationError(_("この修正の申出はすでに処理しました。"))
    statement = proposal.statement
    minutes = statement.minutes
    if accept and statement.text != proposal.original_text:
        # Taking the proposal would silently undo the edit made since it was sent.
        raise ValidationError(
            _(
                "この発言は修正の申出の後に編集されています。"
                "申出の内容を編集画面で反映するか、不採用にしてください。"
            )
        )
    with transaction.atomic():
        _claim(minutes, minutes.version)
        proposal.decision = (
            CorrectionProposal.Decision.ACCEPTED if accept else CorrectionProposal.Decision.REJECTED
        )
        proposal.decided_by, proposal.decided_at = by, now
        proposal.save()
        if accept:
            statement.text = proposal.proposed_text
            statement.confirmation = Statement.Confirmation.CORRECTED
        else:
            statement.confirmation = Statement.Confirmation.CONFIRMED
        statement.save(update_fields=["text", "confirmation"])
        minutes.save(update_fields=["updated_at"])
        note = _("修正の申出を反映") if accept else _("修正の申出を不採用")
        _record(minutes, by, note)


def apply_silence(*, minutes: Minutes, now: datetime) -> int:
    """After the deadline, unanswered statements count as agreed when the platform says so."""
    deadline = minutes.confirmation_deadline
    if not (deadline and now > deadline and minutes.session.platform.silence_is_consent):
        return 0
    # Only speakers who were asked can stay silent: a presenter with no address was not.
    asked = minutes.confirmations.filter(sent_at__isnull=False).values("speaker")
    return minutes.statements.filter(
        confirmation=Statement.Confirmation.PENDING, proposals__isnull=True, speaker__in=asked
    ).update(confirmation=Statement.Confirmation.SILENT)


def approve(
    *, minutes: Minutes, by: AbstractBaseUser, now: datetime, override: bool = False, note: str = ""
) -> None:
    """The chair's approval (座長了解). Unconfirmed statements need an explicit, recorded
    override with its reason."""
    if minutes.locked:
        raise ValidationError(_("すでに座長了解済みです。"))
    apply_silence(minutes=minutes, now=now)
    pending = minutes.statements.filter(confirmation=Statement.Confirmation.PENDING).count()
    open_proposals = CorrectionProposal.objects.filter(
        statement__minutes=minutes, decision=CorrectionProposal.Decision.PENDING
    ).count()
    if open_proposals:
        raise ValidationError(_("未処理の修正の申出が%(n)d件あります。") % {"n": open_proposals})
    if pending and not override:
        raise ValidationError(
            _(
                "発言者の確認が済んでいない発言が%(n)d件あります。確認を待つか、理由を記入して了解してください。"
            )
            % {"n": pending}
        )
    if pending and not note.strip():
        raise ValidationError(_("未確認の発言があるまま了解する理由を記入してください。"))
    with transaction.atomic():
        _claim(minutes, minutes.version)
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at, minutes.approved_by = now, by
        minutes.approval_override = bool(pending)
        minutes.approval_note = note.strip()
        minutes.save()
        _record(minutes, by, _("座長了解") + (_("（未確認の発言あり）") if pending else ""))


def start_revision(*, minutes: Minutes, by: AbstractBaseUser) -> None:
    """Unlock approved minutes for a correction: a new revision that needs approval again."""
    if not minutes.locked:
        raise ValidationError(_("座長了解前の議事録はそのまま編集できます。"))
    with transaction.atomic():
        minutes.status = Minutes.Status.DRAFT
        minutes.revision += 1
        minutes.approved_at = minutes.approved_by = None
        minutes.approval_override = False
        minutes.approval_note = ""  # kept in the approval's MinutesRevision
        minutes.save()
        _record(minutes, by, _("改訂を開始"))
