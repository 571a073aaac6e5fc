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
