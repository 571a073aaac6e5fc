"""Format and size annotations for download links, e.g. 「本文(PDF形式:252KB)」.

Spec: shared/notes/japanese-conventions.md §0.6 and §4.2. Sizes are computed from the
stored file, never typed, with one fixed rule so the same file always gets the same label.
"""

import math
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

__all__ = [
    "FORMAT_NAMES",
    "annotated_link_text",
    "download_annotation",
    "format_name",
    "size_label",
]

_KIB = 1024

FORMAT_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "pdf": "PDF",
        "doc": "Word",
        "docx": "Word",
        "xls": "Excel",
        "xlsx": "Excel",
        "ppt": "PowerPoint",
        "pptx": "PowerPoint",
        "jpg": "JPEG",
        "jpeg": "JPEG",
        "png": "PNG",
        "gif": "GIF",
        "csv": "CSV",
        "txt": "テキスト",
        "zip": "ZIP",
        "ics": "iCalendar",
    }
)


def _tenths_half_up(n_bytes: int, unit: int) -> int:
    # Exact arithmetic: float round() is half-to-even and misrounds e.g. 1.25MB.
    return math.floor(Fraction(n_bytes * 10, unit) + Fraction(1, 2))


def _one_decimal(tenths: int, suffix: str) -> str:
    return f"{tenths // 10}.{tenths % 10}{suffix}"


def size_label(n_bytes: int) -> str:
    """Return e.g. "252KB", "1.0MB" or "2.5GB".

    KB is rounded up (any non-empty file is at least 1KB); MB and GB have one decimal,
    rounded half up. A unit is used only while its displayed value stays below 1,024,
    so 1,048,575 bytes is "1.0MB", not "1024KB".
    """
    if n_bytes < 0:
        raise ValueError(f"file size must not be negative: {n_bytes}")
    kb = -(-n_bytes // _KIB)  # integer ceiling; 0 bytes stays 0KB
    if kb < _KIB:
        return f"{kb}KB"
    mb_tenths = _tenths_half_up(n_bytes, _KIB**2)
    if mb_tenths < _KIB * 10:
        return _one_decimal(mb_tenths, "MB")
    return _one_decimal(_tenths_half_up(n_bytes, _KIB**3), "GB")


def format_name(extension: str) -> str:
    """Return the display name of a file format: ".PDF" or "pdf" → "PDF"; unknown → "XYZ"."""
    ext = extension.strip().removeprefix(".").lower()
    if not ext:
        raise ValueError("file extension must not be empty")
    return FORMAT_NAMES.get(ext, ext.upper())


def download_annotation(extension: str, n_bytes: int) -> str:
    """Return e.g. "PDF形式:252KB" (ASCII colon, as on the Cabinet Office pages)."""
    return f"{format_name(extension)}形式:{size_label(n_bytes)}"


def annotated_link_text(title: str, extension: str, n_bytes: int) -> str:
    """Return e.g. "本文(PDF形式:252KB)" (ASCII parentheses, no space)."""
    return f"{title}({download_annotation(extension, n_bytes)})"
