import pytest

from exports.fileinfo import (
    FORMAT_NAMES,
    annotated_link_text,
    download_annotation,
    format_name,
    size_label,
)

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


@pytest.mark.parametrize(
    ("n_bytes", "expected"),
    [
        (0, "0KB"),
        (1, "1KB"),
        (1023, "1KB"),
        (1024, "1KB"),
        (1025, "2KB"),
        (252 * KB, "252KB"),
        (252 * KB + 1, "253KB"),
        (1023 * KB, "1023KB"),
        (1023 * KB + 1, "1.0MB"),  # would be "1024KB"
        (MB - 1, "1.0MB"),
        (MB, "1.0MB"),
        (MB + 1, "1.0MB"),
        (round(12.3 * MB), "12.3MB"),
        (1023 * MB, "1023.0MB"),
        (GB - 1, "1.0GB"),  # would be "1024.0MB"
        (GB, "1.0GB"),
        (round(2.5 * GB), "2.5GB"),
        (1030 * GB, "1030.0GB"),
    ],
)
def test_size_label(n_bytes: int, expected: str) -> None:
    assert size_label(n_bytes) == expected


@pytest.mark.parametrize(
    ("n_bytes", "expected"),
    [
        # Exact halves round up (float round() would give 1.2 and 2.2).
        (5 * 2**18, "1.3MB"),  # 1.25MB
        (9 * 2**18, "2.3MB"),  # 2.25MB
        (7 * 2**18, "1.8MB"),  # 1.75MB
        (5 * 2**28, "1.3GB"),  # 1.25GB
        # Just below a half rounds down.
        (5 * 2**18 - 1, "1.2MB"),
        (round(1.04 * MB), "1.0MB"),
        (round(1.06 * MB), "1.1MB"),
        (round(9.99 * MB), "10.0MB"),
    ],
)
def test_size_label_rounding(n_bytes: int, expected: str) -> None:
    assert size_label(n_bytes) == expected


def test_size_label_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        size_label(-1)


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        ("pdf", "PDF"),
        (".PDF", "PDF"),
        ("Pdf", "PDF"),
        ("doc", "Word"),
        (".docx", "Word"),
        ("xls", "Excel"),
        ("xlsx", "Excel"),
        ("ppt", "PowerPoint"),
        ("pptx", "PowerPoint"),
        ("jpg", "JPEG"),
        ("JPEG", "JPEG"),
        ("png", "PNG"),
        ("gif", "GIF"),
        ("csv", "CSV"),
        ("txt", "テキスト"),
        ("zip", "ZIP"),
        ("ics", "iCalendar"),
        ("xyz", "XYZ"),
        (".xyz", "XYZ"),
    ],
)
def test_format_name(extension: str, expected: str) -> None:
    assert format_name(extension) == expected


def test_format_names_are_lower_case_without_dot() -> None:
    assert all(ext == ext.lower() and not ext.startswith(".") for ext in FORMAT_NAMES)
    assert len(FORMAT_NAMES) == 15


def test_format_names_is_read_only() -> None:
    with pytest.raises(TypeError):
        FORMAT_NAMES["pdf"] = "Acrobat"  # type: ignore[index]


@pytest.mark.parametrize("extension", ["", ".", "  "])
def test_format_name_empty(extension: str) -> None:
    with pytest.raises(ValueError):
        format_name(extension)


def test_download_annotation() -> None:
    assert download_annotation("pdf", 252 * KB) == "PDF形式:252KB"
    assert download_annotation(".XLSX", round(1.5 * MB)) == "Excel形式:1.5MB"
    assert download_annotation("txt", 10) == "テキスト形式:1KB"


def test_annotated_link_text() -> None:
    text = annotated_link_text("本文", "pdf", 252 * KB)
    assert text == "本文(PDF形式:252KB)"
    # ASCII parentheses and colon, no spaces, as on the Cabinet Office page.
    assert "（" not in text and "：" not in text and " " not in text
    assert annotated_link_text("資料1", ".docx", 30_000) == "資料1(Word形式:30KB)"
