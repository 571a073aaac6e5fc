"""Word, Excel and PowerPoint uploads are ZIPs: bombs, zip-slip names and damaged archives are
refused before anything is stored (documents/validators.py, notes §5.3)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents.validators import MAX_ZIP_ENTRIES, validate_upload

MB = 1024 * 1024
PARTS = {
    "docx": ("word/document.xml", "<w:document/>"),
    "xlsx": ("xl/workbook.xml", "<workbook/>"),
    "pptx": ("ppt/presentation.xml", "<p:presentation/>"),
}


def office_zip(extension: str = "docx", add: Callable[[zipfile.ZipFile], None] = lambda z: None):
    """A ZIP shaped like an Office file, as far as type detection looks, plus `add`'s entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(*PARTS[extension])
        add(archive)
    return buffer.getvalue()


def refused(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    message = error.value.messages[0]
    assert any("\u3040" <= ch <= "\u9fff" for ch in message), message
    return error.value


def deflated_zeros(archive: zipfile.ZipFile, name: str, size: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as member:
        for _ in range(size // MB):
            member.write(bytes(MB))


def noise(size: int, seed: int = 0) -> bytes:
    """Text that deflates about 2:1, far below any bomb ratio."""
    return random.Random(seed).randbytes(size // 2).hex().encode()


def patch_central_directory(content: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of `name`'s central-directory header (APPNOTE 4.3.12)."""
    at = content.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", content, at + 28)[0]
        if content[at + 46 : at + 46 + name_length] == name.encode():
            break
        extra, comment = struct.unpack_from("<HH", content, at + 30)
        at = content.index(b"PK\x01\x02", at + 46 + name_length + extra + comment)
    patched = bytearray(content)
    struct.pack_into(fmt, patched, at + offset, value)
    return bytes(patched)


# Files the Office applications and our libraries really write.


def test_a_real_docx_passes_and_the_upload_is_rewound():
    document = Document()
    document.add_heading("第1回 評議員会 議事次第", level=1)
    document.add_paragraph("1. 開会\n2. 議事\n3. 閉会")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("議事次第.docx", buffer.getvalue())
    assert validate_upload(upload) == "docx"
    assert upload.tell() == 0
    assert upload.read() == buffer.getvalue()


def test_a_real_xlsx_passes():
    workbook = openpyxl.Workbook()
    workbook.active.append(["氏名", "所属"])
    workbook.active.append(["山田　太郎", "総務省"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert validate_upload(SimpleUploadedFile("名簿.xlsx", buffer.getvalue())) == "xlsx"


def test_a_blank_form_that_deflates_115_to_1_passes():
    # A 1,000-row empty table: 420KB of document.xml deflated to under 4KB. Ratios are only
    # judged for parts over 1MB, so real forms like this one are not taken for bombs.
    document = Document()
    document.add_table(rows=1000, cols=6)
    buffer = io.BytesIO()
    document.save(buffer)
    part = zipfile.ZipFile(buffer).getinfo("word/document.xml")
    assert part.file_size / part.compress_size > 100
    assert validate_upload(SimpleUploadedFile("記入様式.docx", buffer.getvalue())) == "docx"


@pytest.mark.parametrize("extension", ["docx", "xlsx", "pptx"])
def test_office_shaped_zips_up_to_the_limits_pass(extension, settings):
    settings.MATERIAL_MAX_UNCOMPRESSED_BYTES = 300 * 1024

    def add(archive):
        archive.writestr("docProps/app.xml", noise(250 * 1024))

    assert validate_upload(SimpleUploadedFile(f"資料.{extension}", office_zip(extension, add)))


# Bombs.


@pytest.mark.parametrize("extension", ["docx", "xlsx", "pptx"])
def test_a_50mb_run_of_zeros_deflated_to_50kb_is_a_bomb(extension):
    folder = PARTS[extension][0].partition("/")[0]
    content = office_zip(extension, lambda z: deflated_zeros(z, f"{folder}/media/a.png", 50 * MB))
    assert len(content) < 100 * 1024  # passes the upload size limit of 200KB in tests
    error = refused(f"資料.{extension}", content)
    assert error.code == "bomb"
    assert "圧縮率" in error.messages[0]


def test_more_uncompressed_data_than_the_setting_allows_is_a_bomb(settings):
    settings.MATERIAL_MAX_UNCOMPRESSED_BYTES = 100 * 1024

    def add(archive):
        archive.writestr("word/media/a.xml", noise(60 * 1024, seed=1))
        archive.writestr("word/media/b.xml", noise(60 * 1024, seed=2))

    error = refused("資料.docx", office_zip(add=add))
    assert error.code == "bomb"
    assert "100KB" in error.messages[0]


def test_the_uncompressed_limit_defaults_to_200mb(settings):
    del settings.MATERIAL_MAX_UNCOMPRESSED_BYTES  # not in settings.py: the default applies
    content = office_zip(add=lambda z: z.writestr("word/media/video.bin", b"x"))
    # Headers claiming 199MB deflated from 2MB pass every limit; reading finds one byte.
    fine = patch_central_directory(content, "word/media/video.bin", 20, "<L", 2 * MB)
    fine = patch_central_directory(fine, "word/media/video.bin", 24, "<L", 199 * MB)
    assert refused("資料.docx", fine).code == "broken"
    too_much = patch_central_directory(fine, "word/media/video.bin", 24, "<L", 201 * MB)
    error = refused("資料.docx", too_much)
    assert error.code == "bomb"
    assert "200.0MB" in error.messages[0]


def test_more_than_2000_entries_is_a_bomb(settings):
    settings.MATERIAL_MAX_BYTES = 10 * MB

    def add(archive, count):
        for n in range(count):
            archive.writestr(f"word/{n}", b"")

    fine = office_zip(add=lambda z: add(z, MAX_ZIP_ENTRIES - 2))
    assert len(zipfile.ZipFile(io.BytesIO(fine)).infolist()) == MAX_ZIP_ENTRIES
    assert validate_upload(SimpleUploadedFile("資料.docx", fine)) == "docx"

    error = refused("資料.docx", office_zip(add=lambda z: add(z, MAX_ZIP_ENTRIES - 1)))
    assert error.code == "bomb"
    assert "2,000" in error.messages[0]


def test_a_huge_central_directory_is_refused_before_zipfile_parses_it(settings, monkeypatch):
    # zipfile would build a ZipInfo for every entry before we could count them.
    settings.MATERIAL_MAX_BYTES = 20 * MB
    content = office_zip(
        add=lambda z: [z.writestr(f"word/{n:04d}" + "x" * 1100, b"") for n in range(2000)]
    )

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", must_not_parse)
    assert refused("資料.docx", content).code == "bomb"


def as_zip64(content: bytes, directory_size: int | None = None) -> bytes:
    """The same archive with its end record moved into Zip64 records, as big writers do."""
    end = content.rindex(b"PK\x05\x06")
    _, _, _, _, entries, size, offset, _ = struct.unpack_from("<4s4H2LH", content, end)
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
        size if directory_size is None else directory_size, offset,
    )  # fmt: skip
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    record_end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
    )
    return content[:end] + record + locator + record_end


def test_zip64_end_records_are_read_like_zipfile_reads_them(settings, monkeypatch):
    content = as_zip64(office_zip(add=lambda z: z.writestr("word/styles.xml", b"<w:styles/>")))
    assert validate_upload(SimpleUploadedFile("資料.docx", content)) == "docx"

    huge = as_zip64(office_zip(), directory_size=3 * MB)

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", must_not_parse)
    assert refused("資料.docx", huge).code == "bomb"


# Zip-slip shapes.


@pytest.mark.parametrize(
    "name", ["../../x", "word/../../x", "/etc/cron.d/x", "\\windows\\x", "C:/x", "word\\..\\..\\x"]
)
def test_absolute_and_parent_member_names_are_refused(name):
    error = refused("資料.docx", office_zip(add=lambda z: z.writestr(name, b"x")))
    assert error.code == "broken"
    assert "不正な名前" in error.messages[0]


def test_dots_inside_a_name_are_fine():
    content = office_zip(add=lambda z: z.writestr("word/media/image..png", b"x"))
    assert validate_upload(SimpleUploadedFile("資料.docx", content)) == "docx"


# Damaged archives.


def test_a_truncated_zip_is_broken():
    content = office_zip(add=lambda z: z.writestr("word/styles.xml", noise(20 * 1024)))
    for cut in (len(content) - 10, len(content) // 2):
        error = refused("資料.docx", content[:cut])
        assert error.code == "broken"
        assert "Word形式" in error.messages[0]


def test_a_corrupted_member_is_broken():
    content = bytearray(office_zip(add=lambda z: z.writestr("word/styles.xml", noise(20 * 1024))))
    start = content.index(b"word/styles.xml") + len("word/styles.xml") + 100
    content[start : start + 50] = bytes(50)
    assert refused("資料.docx", bytes(content)).code == "broken"


def test_a_header_that_understates_a_member_is_caught_by_reading_it(settings):
    # The header claims 1KB, under every limit; reading stops there and the CRC disagrees.
    settings.MATERIAL_MAX_UNCOMPRESSED_BYTES = 100 * 1024
    content = office_zip(add=lambda z: z.writestr("word/styles.xml", noise(150 * 1024)))
    content = patch_central_directory(content, "word/styles.xml", 24, "<L", 1024)
    assert refused("資料.docx", content).code == "broken"


@pytest.mark.parametrize(
    ("offset", "fmt", "value"),
    [
        (8, "<H", 0x0001),  # flagged as encrypted
        (10, "<H", 99),  # an unknown compression method (AES)
    ],
)
def test_members_that_cannot_be_read_are_broken(offset, fmt, value):
    content = office_zip(add=lambda z: z.writestr("word/styles.xml", b"<w:styles/>"))
    content = patch_central_directory(content, "word/styles.xml", offset, fmt, value)
    assert refused("資料.docx", content).code == "broken"


def test_a_plain_zip_is_still_not_accepted():
    assert refused("資料.zip", office_zip()).code == "unsupported"
    assert refused("資料.docx", b"PK\x05\x06" + bytes(18)).code == "content_mismatch"
