import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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
