"""Splitting a pasted transcript into statements.

The form, shown to staff on the editor page:

    # 関係省庁ヒアリング        (or "# 2"): the following statements belong to that agenda item
    武山委員: 発言の内容          one statement; a full-width colon (：) works too
    続きの行                    a line without a colon continues the statement above

A speaker is any attendee of the session, written as the minutes name them (武山委員),
by name (武山　政直, 武山政直), by surname, or 事務局. Lines that cannot be read are
returned with the reason, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_SPEAKER_LINE = re.compile(r"^(?P<speaker>[^:：]{1,40})[:：]\s*(?P<text>.*)$")
_SPACES = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class ParsedStatement:
    agenda_item: int | None
    speaker: int
    text: str


@dataclass
class _Open:
    """The statement being read: continuation lines are added to it."""

    item: int | None
    speaker: int
    lines: list[str]


@dataclass
class ParsedTranscript:
    statements: list[ParsedStatement] = field(default_factory=list)
    unparsed: list[tuple[int, str, str]] = field(default_factory=list)  # line no, line, why


def normalise(name: str) -> str:
    """Compare names without spaces and with full-width letters folded (ＡＢ → AB)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


def parse_transcript(
    text: str,
    speakers: dict[str, int],
    agenda_items: Iterable[tuple[int, int, str]],
) -> ParsedTranscript:
    """Statements from `text`. `speakers` maps normalised names to attendance ids;
    `agenda_items` are (id, number, title) in order."""
    items = list(agenda_items)
    result = ParsedTranscript()
    current_item: int | None = items[0][0] if len(items) == 1 else None
    pending: _Open | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            text = "\n".join(pending.lines).strip()
            result.statements.append(ParsedStatement(pending.item, pending.speaker, text))
        pending = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("#", "＃")):
            flush()
            heading = normalise(line.lstrip("#＃"))
            match = [
                item_id
                for item_id, item_number, title in items
                if heading in (str(item_number), normalise(title))
            ]
            if match:
                current_item = match[0]
            else:
                # What follows is not filed under the previous item: staff see it unfiled.
                current_item = None
                result.unparsed.append((number, raw, "議事が見つかりません"))
            continue
        speaker_line = _SPEAKER_LINE.match(line)
        if speaker_line:
            speaker = speakers.get(normalise(speaker_line["speaker"]))
            if speaker is None:
                flush()
                result.unparsed.append((number, raw, "発言者が出席者にいません"))
                continue
            flush()
            pending = _Open(current_item, speaker, [speaker_line["text"]])
            continue
        if pending is not None:
            pending.lines.append(line)
        else:
            result.unparsed.append((number, raw, "発言者がわかりません（「発言者: 発言」の形で）"))
    flush()
    return result
