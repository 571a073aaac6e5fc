"""What the public would see change if the session were published now."""

from __future__ import annotations

from dataclasses import dataclass, field

from documents.models import Material
from secretariat.meetings.models import Session
from secretariat.publishing.models import Publication, PublishedFile


@dataclass
class PendingChanges:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    rescheduled: list[str] = field(default_factory=list)  # 公開 ⇄ 後日公開, or the date

    def __bool__(self) -> bool:
        return bool(
            self.added or self.replaced or self.withdrawn or self.edited or self.rescheduled
        )


def pending_changes(session: Session, publication: Publication | None) -> PendingChanges:
    """Live materials against the current publication's snapshot, by display title."""
    changes = PendingChanges()
    if publication is None or not publication.is_public:
        return changes
    rows = list(publication.files.filter(kind=PublishedFile.Kind.MATERIAL))
    published = {row.material_id: row for row in rows if row.material_id}
    live = {m.pk: m for m in session.materials.all() if m.is_publishable}
    for pk, material in live.items():
        row = published.get(pk)
        if row is None:
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
