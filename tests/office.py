"""LibreOffice headless as the real client for generated .docx and .xlsx files.

Spec: shared/notes/library-pitfalls.md §6.3. Each call gets a fresh profile (two
conversions sharing one lose a PDF), an explicit import filter (without it a broken file
"converts" as plain text), a timeout that kills the whole process group, and a check that
the PDF exists, because soffice exits 0 when it fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

INFILTER = {".docx": "MS Word 2007 XML", ".xlsx": "Calc MS Excel 2007 XML"}


def _tool(*names: str, package: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.fail(f"{names[0]} not found: run `make test`, which installs {package}")


def to_pdf(src: Path, outdir: Path, timeout: float = 120) -> Path:
    """Convert ``src`` (.docx or .xlsx) to ``outdir/<stem>.pdf`` and return its path."""
    soffice = _tool("soffice", "libreoffice", package="LibreOffice")
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / f"{src.stem}.pdf"
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation=file://{profile}",
            f"--infilter={INFILTER[src.suffix.lower()]}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(src),
        ]
        env = {
            **os.environ,
            "HOME": profile,  # LibreOffice writes to HOME; keep the real one clean
            # ...but keep reading the user's fontconfig aliases (library-pitfalls §6.5).
            "XDG_CONFIG_HOME": os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config")),
        }
        process = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RuntimeError(f"LibreOffice timed out after {timeout}s on {src.name}") from None
    if process.returncode or not pdf.exists() or pdf.stat().st_size == 0:
        message = err.decode(errors="replace").strip()
        raise RuntimeError(f"LibreOffice failed on {src.name} (rc={process.returncode}): {message}")
    return pdf


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's ``pdftotext -layout`` reads it; pages end with ``\\f``."""
    pdftotext = _tool("pdftotext", package="poppler-utils")
    return subprocess.run(
        [pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()


# Windows font names a document may ask for, and the IPAex face LibreOffice should draw them
# with instead of its default fallback (Noto Sans CJK, a Gothic face even for a 明朝 request).
FONT_ALIASES = {
    "IPAexMincho": ("游明朝", "Yu Mincho", "ＭＳ 明朝", "MS Mincho", "ＭＳ Ｐ明朝", "MS PMincho"),
    "IPAexGothic": (
        "游ゴシック",
        "Yu Gothic",
        "ＭＳ ゴシック",
        "MS Gothic",
        "ＭＳ Ｐゴシック",
        "MS PGothic",
        "メイリオ",
        "Meiryo",
    ),
}


def font_aliases(config_home: Path) -> Path:
    """Write a fontconfig file mapping Office's Japanese font names to IPAex
    (library-pitfalls §6.5) under ``config_home`` and return it, to be used as
    ``XDG_CONFIG_HOME``. The real user configuration, if any, is still read."""
    real = Path(os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config")))
    aliases = "".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<accept><family>{face}</family></accept></alias>\n"
        for face, names in FONT_ALIASES.items()
        for name in names
    )
    conf = config_home / "fontconfig" / "fonts.conf"
    include = ""
    if real.resolve() != config_home.resolve():
        include = (
            f'  <include ignore_missing="yes">{real / "fontconfig" / "fonts.conf"}</include>\n'
        )
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"{include}{aliases}</fontconfig>\n",
        encoding="utf-8",
    )
    return config_home


def _poppler(tool: str, pdf: Path) -> str:
    return subprocess.run(
        [_tool(tool, package="poppler-utils"), str(pdf)],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()


def pdf_info(pdf: Path) -> dict[str, str]:
    """``pdfinfo``'s fields, e.g. ``{"Pages": "1", "Page size": "841.89 x 595.304 pts (A4)"}``."""
    lines = (line.partition(":") for line in _poppler("pdfinfo", pdf).splitlines())
    return {key.strip(): value.strip() for key, _, value in lines}


def pdf_fonts(pdf: Path) -> list[str]:
    """The names of the fonts embedded in the PDF, without their subset prefix."""
    rows = _poppler("pdffonts", pdf).splitlines()[2:]  # after the header and its rule
    return [row.split()[0].partition("+")[2] or row.split()[0] for row in rows if row.strip()]
