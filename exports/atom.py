"""Atom 1.0 feeds (RFC 4287) of what a platform publishes: sessions, materials, minutes.

ElementTree does the escaping; this module strips what XML 1.0 cannot carry at all
(control characters other than tab and newlines, lone surrogates, U+FFFE/U+FFFF), which
ElementTree would otherwise write out raw and leave the whole feed unparseable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["ATOM_NAMESPACE", "AtomEntry", "AtomFeed", "render_atom"]

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class AtomEntry:
    id: str  # a permanent IRI: the public page's URL, or a tag: URI
    title: str
    link: str  # the public page (rel="alternate")
    updated: datetime  # aware
    summary: str = ""  # plain text; left out when empty


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str  # also the feed's author: the council or platform
    link: str  # the public HTML page the feed follows (rel="alternate")
    updated: datetime  # aware
    entries: tuple[AtomEntry, ...]
    self_link: str  # the feed's own URL (rel="self"), which RFC 4287 §4.2.7.2 recommends


def render_atom(feed: AtomFeed) -> bytes:
    """Return the feed as UTF-8 XML, entries newest first (ties by id, so output is stable).

    Raises ValueError for an empty id or link, or a naive datetime.
    """
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, _XML_LANG: "ja"})
    _text(root, "id", _required(feed.id, "feed id"))
    _text(root, "title", feed.title)
    _text(root, "updated", _timestamp(feed.updated))
    _link(root, "self", _required(feed.self_link, "feed self link"), "application/atom+xml")
    _link(root, "alternate", _required(feed.link, "feed link"), "text/html")
    author = ET.SubElement(root, "author")
    _text(author, "name", feed.title)
    entries = sorted(feed.entries, key=lambda entry: entry.id)
    for entry in sorted(entries, key=lambda entry: entry.updated, reverse=True):
        element = ET.SubElement(root, "entry")
        _text(element, "id", _required(entry.id, "entry id"))
        _text(element, "title", entry.title)
        _link(element, "alternate", _required(entry.link, f"link of entry {entry.id}"), "text/html")
        _text(element, "updated", _timestamp(entry.updated))
        if summary := _xml_text(entry.summary):
            _text(element, "summary", summary)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def _text(parent: ET.Element, tag: str, text: str) -> None:
    element = ET.SubElement(parent, tag, {"type": "text"} if tag in ("title", "summary") else {})
    element.text = _xml_text(text)


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": _xml_text(href)})


def _xml_text(text: str) -> str:
    return _NOT_IN_XML.sub("", text).strip()


def _required(value: str, what: str) -> str:
    if not _xml_text(value):
        raise ValueError(f"{what} must not be empty")
    return value


def _timestamp(moment: datetime) -> str:
    """RFC 3339 with the moment's own offset: 2026-04-01T10:00:00+09:00."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Atom timestamps need a time zone: {moment.isoformat()}")
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        moment = moment.astimezone(UTC)  # RFC 3339 offsets are whole minutes (old LMT zones)
    return moment.isoformat(timespec="seconds")
