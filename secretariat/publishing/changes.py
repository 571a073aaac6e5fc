"""What the public would see change if the session were published now."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Material
from secretariat.meetings.models import Session
from secretariat.publishing.actions import taken_down_versions
from secretariat.publishing.models import Publication, PublishedFile
from secretariat.publishing.pages import page_of


@dataclass
class PendingChanges:
    session: list[str] = field(default_factory=list)  # 日時を変更, 議事を追加：…
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    rescheduled: list[str] = field(default_factory=list)  # 公開 ⇄ 後日公開, or the date
    # 公開停止 files that publishing again leaves out (until the material is replaced):
    # not a change, so not counted below.
    taken_down: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.session
            or self.added
            or self.replaced
            or self.withdrawn
            or self.edited
            or self.rescheduled
        )


def pending_changes(session: Session, publication: Publication | None) -> PendingChanges:
    """The live session and materials against the current publication's snapshot:
    the session's page (see pages.page_of), and materials by display title."""
    changes = PendingChanges()
    if publication is None:
        return changes
    if not publication.is_public:  # withdrawn: its page is public, its files are not
        if publication.page:
            changes.session = _page_changes(page_of(session), publication.page)
        return changes
    changes.session = _page_changes(page_of(session), publication.page or {})
    rows = list(publication.files.filter(kind=PublishedFile.Kind.MATERIAL))
    published = {row.material_id: row for row in rows if row.material_id}
    live = {m.pk: m for m in session.materials.all() if m.is_publishable}
    stopped = taken_down_versions(session)
    for pk, material in live.items():
        row = published.get(pk)
        if (pk, material.version) in stopped:
            changes.taken_down.append(material.display_title)
        elif row is None:
            changes.added.append(material.display_title)
        elif row.version != material.version:
            changes.replaced.append(material.display_title)
        elif (row.label, row.title, row.order) != (material.label, material.title, material.order):
            changes.edited.append(material.display_title)
        elif row.public_from != (
            material.public_from if material.access == Material.Access.PUBLIC_LATER else None
        ):
            changes.rescheduled.append(material.display_title)
    changes.withdrawn = [row.display_title for pk, row in published.items() if pk not in live] + [
        row.display_title
        for row in publication.files.filter(kind=PublishedFile.Kind.MATERIAL, material=None)
    ]
    return changes


_FIELDS = (
    (("number", "kind"), gettext_lazy("回数・種類を変更")),
    (("date", "start_time", "end_time", "visit_days"), gettext_lazy("日時を変更")),
    (("venue_name", "venue_address", "online"), gettext_lazy("場所を変更")),
    (("topics",), gettext_lazy("内容を変更")),
)
_VISIT_FIELDS = (
    (("stops",), gettext_lazy("視察先を変更")),
    (("summary",), gettext_lazy("視察の概要を変更")),
    (("reported_in",), gettext_lazy("報告した会議を変更")),
)


def _page_changes(live: dict[str, Any], published: dict[str, Any]) -> list[str]:
    """What the public session page would show differently, in the page's order."""
    lines = [
        str(label)
        for keys, label in _FIELDS
        if any(live.get(key) != published.get(key) for key in keys)
    ]
    before = {item["id"]: item for item in published.get("agenda", [])}
    after = {item["id"]: item for item in live["agenda"]}
    for pk, item in after.items():
        old = before.get(pk)
        if old is None:
            lines.append(_("議事を追加：%(title)s") % {"title": item["title"]})
        elif old["title"] != item["title"]:
            lines.append(_("議事を変更：%(title)s") % {"title": item["title"]})
        elif old["presenters"] != item["presenters"]:
            lines.append(_("説明者を変更：%(title)s") % {"title": item["title"]})
    lines += [
        _("議事を削除：%(title)s") % {"title": item["title"]}
        for pk, item in before.items()
        if pk not in after
    ]
    kept = [pk for pk in after if pk in before]
    if kept != [pk for pk in before if pk in after]:
        lines.append(_("議事の順番を変更"))
    lines += [
        str(label)
        for keys, label in _VISIT_FIELDS
        if any(live.get(key) != published.get(key) for key in keys)
    ]
    return lines
