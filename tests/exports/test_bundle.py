"""exports/bundle.py, read back by zipfile and by Info-ZIP's unzip (Debian's unzip package)."""

from __future__ import annotations

import gc
import io
import os
import shutil
import stat
import subprocess
import tracemalloc
import unicodedata
import zipfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from exports.bundle import INDEX_NAME, BundleError, BundleMember, write_bundle

TOKYO = ZoneInfo("Asia/Tokyo")
STAMP = datetime(2026, 4, 1, 9, 30, 15, tzinfo=TOKYO)  # odd seconds: DOS time keeps 14
FOLDER = "第12回評議員会"
MB = 1024 * 1024
UTF8_FLAG = 0x800


def member(label: str, title: str, data: bytes = b"%PDF-1.7 test", extension: str = "pdf"):
    return BundleMember(label, title, extension, len(data), partial(io.BytesIO, data))


MEMBERS = [
    member("", "議事次第", b"%PDF agenda"),
    member("資料1", "委員名簿", b"%PDF roster" * 100),
    member("資料2", "デジタル行財政改革の進捗について", b"%PDF progress" * 1000, "PDF"),
    member("参考資料", "令和6年度/7年度 予算：概要", b"PK\x03\x04 excel", ".xlsx"),
]


def bundle(members=MEMBERS, folder=FOLDER, index_title="第12回評議員会 配布資料一覧", stamp=STAMP):
    out = io.BytesIO()
    write_bundle(members, out, folder=folder, index_title=index_title, stamp=stamp)
    return out.getvalue()


def names_of(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def file_names(*members: BundleMember, folder: str = FOLDER) -> list[str]:
    """The member file names, without the folder and the index."""
    names = names_of(bundle(list(members), folder=folder))
    assert all(name.startswith(names[0].rpartition("/")[0] + "/") for name in names)
    return [name.rpartition("/")[2] for name in names[1:]]


def test_entries_come_in_order_after_the_index():
    assert names_of(bundle()) == [
        f"{FOLDER}/00_一覧.txt",
        f"{FOLDER}/01_議事次第.pdf",
        f"{FOLDER}/02_資料1_委員名簿.pdf",
        f"{FOLDER}/03_資料2_デジタル行財政改革の進捗について.pdf",
        f"{FOLDER}/04_参考資料_令和6年度／7年度 予算：概要.xlsx",
    ]


def test_members_are_stored_byte_for_byte():
    archive = zipfile.ZipFile(io.BytesIO(bundle()))
    assert archive.testzip() is None
    for info, source in zip(archive.infolist()[1:], MEMBERS, strict=True):
        assert info.compress_type == zipfile.ZIP_STORED
        assert archive.read(info) == source.open().read()
        assert info.file_size == source.size


def test_every_entry_has_the_utf8_flag_and_the_fixed_date():
    archive = zipfile.ZipFile(io.BytesIO(bundle()))
    for info in archive.infolist():
        assert info.flag_bits & UTF8_FLAG, info.filename
        assert info.date_time == (2026, 4, 1, 9, 30, 14)
        assert info.create_system == 3
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644


def test_ascii_only_names_have_no_utf8_flag_and_need_none():
    # zipfile sets bit 11 only for names that are not ASCII, and resets flag_bits when an
    # entry is opened for writing; setting it anyway means overriding a private method.
    # An ASCII name is the same bytes in UTF-8, CP437 and CP932, so readers agree regardless.
    archive = zipfile.ZipFile(io.BytesIO(bundle([member("", "agenda")], folder="session-12")))
    flags = {info.filename: info.flag_bits & UTF8_FLAG for info in archive.infolist()}
    assert flags == {"session-12/00_一覧.txt": UTF8_FLAG, "session-12/01_agenda.pdf": 0}


def test_the_date_is_tokyo_time_whatever_the_stamp_zone():
    utc = STAMP.astimezone(UTC)
    assert bundle(stamp=utc) == bundle()
    info = zipfile.ZipFile(io.BytesIO(bundle(stamp=utc))).infolist()[0]
    assert info.date_time[:5] == (2026, 4, 1, 9, 30)


def test_the_same_inputs_give_the_same_bytes():
    first = bundle()
    assert bundle() == first
    assert bundle(stamp=STAMP.replace(second=16)) != first


def test_the_index_lists_each_file_for_notepad():
    raw = zipfile.ZipFile(io.BytesIO(bundle())).read(f"{FOLDER}/{INDEX_NAME}")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "")
    assert text.split("\r\n") == [
        "第12回評議員会 配布資料一覧",
        "",
        "議事次第(PDF形式:1KB)",
        "　ファイル名:01_議事次第.pdf",
        "",
        "資料1　委員名簿(PDF形式:2KB)",
        "　ファイル名:02_資料1_委員名簿.pdf",
        "",
        "資料2　デジタル行財政改革の進捗について(PDF形式:13KB)",
        "　ファイル名:03_資料2_デジタル行財政改革の進捗について.pdf",
        "",
        "参考資料　令和6年度/7年度 予算：概要(Excel形式:1KB)",
        "　ファイル名:04_参考資料_令和6年度／7年度 予算：概要.xlsx",
        "",
    ]


def test_the_index_keeps_titles_whole_but_on_one_line():
    long = "長" * 300
    raw = zipfile.ZipFile(io.BytesIO(bundle([member("資料1", f"議事\r\n次第\t{long}")]))).read(
        f"{FOLDER}/{INDEX_NAME}"
    )
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[2] == f"資料1　議事 次第 {long}(PDF形式:1KB)"


@pytest.mark.parametrize(
    ("label", "title", "name"),
    [
        ("資料1", 'A/B\\C:D*E?F"G<H>I|J', "01_資料1_A／B＼C：D＊E？F＂G＜H＞I｜J.pdf"),
        ("資料1", "議事\x00次第\r\n（案）\x7f\x85", "01_資料1_議事 次第 （案）.pdf"),
        ("資料1", "ハ\u309aソコン", "01_資料1_パソコン.pdf"),  # NFD from macOS → NFC
        ("資料1", "概要. . ", "01_資料1_概要.pdf"),
        ("資料1", "　概要　", "01_資料1_概要.pdf"),
        ("資料1", "概要\u202efdp.exe", "01_資料1_概要fdp.exe.pdf"),  # no right-to-left trick
        ("", "", "01.pdf"),
        ("資料1", "", "01_資料1.pdf"),
        ("資料1", "\ud800壊れた文字", "01_資料1_\ufffd壊れた文字.pdf"),
    ],
)
def test_names_are_safe_on_windows(label, title, name):
    assert file_names(member(label, title)) == [name]


def test_reserved_windows_names_are_avoided():
    names = names_of(bundle(folder="con"))
    assert {name.partition("/")[0] for name in names} == {"_con"}
    assert names_of(bundle(folder="LPT1.資料"))[0].startswith("_LPT1.資料/")
    assert names_of(bundle(folder="CONTROL"))[0].startswith("CONTROL/")


@pytest.mark.parametrize(("folder", "clean"), [("../資料", "／資料"), (". 資料 .", "資料")])
def test_the_folder_stays_one_visible_folder(folder, clean):
    assert {name.partition("/")[0] for name in names_of(bundle(folder=folder))} == {clean}


def test_long_titles_are_cut_to_fit_windows_and_linux():
    long_kanji = "第" * 300
    astral = "𠮷" * 300  # outside the BMP: two UTF-16 units each on Windows
    for title in (long_kanji, astral, "a" * 300):
        (name,) = names_of(bundle([member("資料1", title)]))[1:]
        file_name = name.rpartition("/")[2]
        assert file_name.endswith(".pdf")
        assert file_name.startswith("01_資料1_" + title[:10])
        assert len(file_name.encode("utf-16-le")) // 2 <= 80
        assert len(file_name.encode()) <= 240  # ext4 allows 255 bytes per name
        assert len(name.encode("utf-16-le")) // 2 < 150  # leaves 110 for C:\Users\…


def test_duplicate_titles_get_distinct_names():
    names = file_names(member("資料", "説明"), member("資料", "説明"), member("資料", "説明"))
    assert names == ["01_資料_説明.pdf", "02_資料_説明.pdf", "03_資料_説明.pdf"]
    assert len({name.casefold() for name in names}) == 3


def test_numbers_widen_past_99_members():
    names = file_names(*[member("", f"資料{n}") for n in range(1, 101)])
    assert names[0] == "001_資料1.pdf"
    assert names[-1] == "100_資料100.pdf"
    assert names == sorted(names)


def test_an_empty_bundle_holds_only_the_index():
    assert names_of(bundle([])) == [f"{FOLDER}/00_一覧.txt"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stamp": datetime(2026, 4, 1, 9, 30)}, "aware"),  # noqa: DTZ001
        ({"stamp": datetime(1979, 12, 31, tzinfo=TOKYO)}, "1980"),
        ({"folder": " .. "}, "folder"),
        ({"members": [member("資料1", "議事次第", extension="")]}, "extension"),
        ({"members": [BundleMember("", "x", "pdf", -1, partial(io.BytesIO, b""))]}, "negative"),
    ],
)
def test_bad_inputs_are_refused_before_anything_is_written(kwargs, message):
    arguments = {"members": MEMBERS, "folder": FOLDER, "index_title": "一覧", "stamp": STAMP}
    out = io.BytesIO()
    with pytest.raises(ValueError, match=message):
        write_bundle(out=out, **(arguments | kwargs))
    assert out.getvalue() == b""


# Failures while writing: nothing that looks like a good bundle is left behind.


def failing_open():
    raise FileNotFoundError("materials/2026/agenda.pdf")


class FailingRead(io.BytesIO):
    def read(self, size=-1):
        if self.tell() > 0:
            raise OSError("connection reset by storage")
        return super().read(size)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (BundleMember("資料3", "欠落", "pdf", 10, failing_open), "agenda.pdf"),
        (BundleMember("資料3", "途中", "pdf", 3 * MB, lambda: FailingRead(bytes(3 * MB))), "reset"),
        (BundleMember("資料3", "短い", "pdf", 100, partial(io.BytesIO, b"x" * 99)), "99 bytes"),
        (BundleMember("資料3", "長い", "pdf", 100, partial(io.BytesIO, b"x" * 101)), "more than"),
    ],
)
def test_a_member_that_fails_leaves_no_zip(bad, message):
    out = io.BytesIO(b"kept")
    out.seek(0, os.SEEK_END)
    with pytest.raises(BundleError, match=message) as error:
        write_bundle([*MEMBERS, bad], out, folder=FOLDER, index_title="一覧", stamp=STAMP)
    assert "05_資料3_" in str(error.value)
    assert error.value.__cause__ is not None
    gc.collect()  # ZipFile.__del__ calls close(), which would write a central directory
    assert out.getvalue() == b"kept"


class Pipe:
    """An output that can only be written to, like a pipe or a socket."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)

    def flush(self) -> None:
        pass


def test_a_failure_on_an_unseekable_output_leaves_no_central_directory():
    pipe = Pipe()
    bad = BundleMember("資料3", "欠落", "pdf", 10, failing_open)
    with pytest.raises(BundleError):
        write_bundle([*MEMBERS, bad], pipe, folder=FOLDER, index_title="一覧", stamp=STAMP)
    gc.collect()
    written = pipe.buffer.getvalue()
    assert written.startswith(b"PK\x03\x04")
    assert b"PK\x01\x02" not in written
    assert not zipfile.is_zipfile(io.BytesIO(written))


def test_an_unseekable_output_gets_a_good_zip_too():
    pipe = Pipe()
    write_bundle(MEMBERS, pipe, folder=FOLDER, index_title="一覧", stamp=STAMP)
    archive = zipfile.ZipFile(io.BytesIO(pipe.buffer.getvalue()))
    assert archive.testzip() is None
    assert archive.namelist()[1:] == names_of(bundle())[1:]
    assert all(info.flag_bits & UTF8_FLAG for info in archive.infolist())


# Size and a real client.


def test_a_200mb_member_is_copied_in_chunks(tmp_path):
    source = tmp_path / "large.pdf"
    with source.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(200 * MB)  # sparse: quick to make, and read back as zeros
    large = BundleMember("資料1", "大きな資料", "pdf", 200 * MB, partial(source.open, "rb"))
    target = tmp_path / "bundle.zip"
    tracemalloc.start()
    try:
        with target.open("wb") as out:
            write_bundle([large], out, folder=FOLDER, index_title="一覧", stamp=STAMP)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB, f"peak {peak / MB:.1f}MB"
    info = zipfile.ZipFile(target).infolist()[1]
    assert info.file_size == 200 * MB
    assert target.stat().st_size < 200 * MB + 1024


def test_unzip_agrees_on_names_and_contents(tmp_path):
    assert shutil.which("unzip"), "Debian's unzip is missing: run `make test`, which installs it"
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle())
    # unzip reads ZIP dates as local time; names come out in the locale's encoding.
    env = {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "Asia/Tokyo"}

    def unzip(*args: str) -> str:
        return subprocess.run(
            ["unzip", *args], env=env, capture_output=True, check=True, text=True
        ).stdout

    assert "No errors detected" in unzip("-t", str(path))
    assert unzip("-Z1", str(path)).splitlines() == names_of(bundle())

    unzip("-q", str(path), "-d", str(tmp_path / "out"))
    extracted = sorted(tmp_path.joinpath("out").rglob("*.*"))
    assert [p.relative_to(tmp_path / "out").as_posix() for p in extracted] == names_of(bundle())
    for p in extracted:
        assert unicodedata.is_normalized("NFC", p.name)
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
        assert p.stat().st_mtime == datetime(2026, 4, 1, 9, 30, 14, tzinfo=TOKYO).timestamp()
    roster = tmp_path / "out" / FOLDER / "02_資料1_委員名簿.pdf"
    assert roster.read_bytes() == b"%PDF roster" * 100
    assert Path(tmp_path / "out" / FOLDER / INDEX_NAME).read_bytes().startswith(b"\xef\xbb\xbf")
