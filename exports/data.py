"""Plain, frozen data that the domain builds and the renderers and templates read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RosterMember:
    name: str  # 髙鳥　修一 / 全国知事会（中村　時広 愛媛県知事） / 総務省
    title: str  # 内閣府副大臣; empty when the name already carries it
    mark: str  # ◎ for the chair, ○ for the vice chair
    role: str  # 座長 / 座長代理, empty for ordinary members


@dataclass(frozen=True)
class RosterGroup:
    theme: str  # empty when the category is not divided by theme
    members: tuple[RosterMember, ...]


@dataclass(frozen=True)
class RosterCategory:
    number: int
    name: str
    note: str  # （五十音順、敬称略） or （敬称略）
    groups: tuple[RosterGroup, ...]

    @property
    def heading(self) -> str:
        return f"({self.number}){self.name}"


@dataclass(frozen=True)
class Roster:
    platform_name: str
    as_of: date
    categories: tuple[RosterCategory, ...]
    footnote: str

    @property
    def has_office_holders(self) -> bool:
        return any(m.mark for c in self.categories for g in c.groups for m in g.members)
