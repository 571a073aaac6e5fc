import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents.validators import clean_filename, validate_upload
from tests import factories as f


def test_accepts_a_pdf_and_returns_its_extension():
    assert validate_upload(f.pdf_upload("資料1.PDF")) == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("資料.pdf", f.png_bytes(), "content_mismatch"),
        ("資料.docx", "これはただのテキストです".encode(), "content_mismatch"),
        ("写真.png", f.pdf_bytes(), "content_mismatch"),
        ("資料.pdf", b"", "empty"),
        ("資料.exe", b"MZ\x90\x00", "unsupported"),
        ("資料", f.pdf_bytes(), "unsupported"),
        ("資料.pdf", b"%PDF-1.4" + b"0" * (200 * 1024), "too_large"),
    ],
)
def test_rejects_bad_files_with_japanese_messages(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code
    assert any("\u3040" <= ch <= "\u9fff" for ch in error.value.messages[0])


def test_images_are_accepted_by_content():
    assert validate_upload(SimpleUploadedFile("写真.png", f.png_bytes())) == "png"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/資料.pdf", "資料.pdf"),
        ("C:\\Users\\事務局\\資料1.pdf", "資料1.pdf"),
        ("資料\x00\x1f1.pdf", "資料1.pdf"),
        ("ハ\u309aソコン.pdf", "パソコン.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


# Office formats: the current ones only (README, "Uploaded files"). Old-format files are
# OLE2 compound files that can carry VBA macros; macro-enabled OOXML carries them openly.

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
LEGACY_MESSAGE = (
    "旧形式のOfficeファイル（.doc、.xls、.ppt）はマクロを含むことがあるため、登録できません。"
    "PDFか、現在の形式（.docx、.xlsx、.pptx）で保存し直してから登録してください。"
)
MACRO_MESSAGE = (
    "マクロを含むOfficeファイル（.docm、.xlsm、.pptmなど）は登録できません。"
    "PDFか、マクロを含まない形式（.docx、.xlsx、.pptx）で保存し直してから登録してください。"
)


def _docx(add=lambda archive: None, content_types=None):
    """A real python-docx document, with parts added or [Content_Types].xml replaced."""
    source = io.BytesIO()
    Document().save(source)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as archive:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "[Content_Types].xml" and content_types:
                data = content_types(data)
            archive.writestr(entry, data)
        add(archive)
    return target.getvalue()


def _refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    return error.value


@pytest.mark.parametrize("name", ["議事録.doc", "名簿.XLS", "説明資料.ppt", "様式.dot", "表.xlt"])
def test_old_format_office_files_are_refused(name):
    error = _refused(name, OLE2)
    assert error.code == "legacy_office"
    assert error.messages == [LEGACY_MESSAGE]


@pytest.mark.parametrize("name", ["資料.docx", "資料.xlsx", "資料.pdf", "写真.jpg"])
def test_an_old_format_office_file_under_another_name_is_refused(name):
    error = _refused(name, OLE2)
    assert error.code == "legacy_office"
    assert error.messages == [LEGACY_MESSAGE]


@pytest.mark.parametrize("name", ["資料.docm", "集計.xlsm", "説明.pptm", "集計.xlsb", "様式.dotm"])
def test_macro_enabled_office_files_are_refused_by_name(name):
    error = _refused(name, _docx())
    assert error.code == "macro"
    assert error.messages == [MACRO_MESSAGE]


def test_a_vba_project_inside_a_docx_is_refused():
    content = _docx(add=lambda archive: archive.writestr("word/vbaProject.bin", OLE2))
    assert _refused("資料.docx", content).code == "macro"


def test_a_macro_enabled_content_type_inside_a_docx_is_refused():
    declared = b"application/vnd.ms-word.document.macroEnabled.main+xml"

    def macro_enabled(data):
        return data.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            declared,
        )

    content = _docx(content_types=macro_enabled)
    assert declared in zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml")
    error = _refused("資料.docx", content)
    assert error.code == "macro"
    assert error.messages == [MACRO_MESSAGE]


def test_an_excel_4_macro_sheet_inside_an_xlsx_is_refused():
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    target = io.BytesIO()
    with zipfile.ZipFile(workbook) as original, zipfile.ZipFile(target, "w") as archive:
        for entry in original.infolist():
            archive.writestr(entry, original.read(entry))
        archive.writestr("xl/macrosheets/sheet1.xml", "<xm:macrosheet/>")
    assert _refused("集計.xlsx", target.getvalue()).code == "macro"


def test_current_office_formats_are_still_accepted():
    assert validate_upload(SimpleUploadedFile("資料.docx", _docx())) == "docx"
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    assert validate_upload(SimpleUploadedFile("集計.xlsx", workbook.getvalue())) == "xlsx"
