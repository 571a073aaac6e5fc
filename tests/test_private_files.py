"""var/ and what is in it (database, secret key, sent mail) are readable by this user only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# Import the real settings in a fresh interpreter with a loose umask, as `make run` might,
# and write to the SQLite database once.
SCRIPT = """
import os
os.umask(0o022)
os.environ["DJANGO_SETTINGS_MODULE"] = "secretariat.settings"
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS t (x integer)")
    cursor.execute("INSERT INTO t VALUES (1)")
"""


def _run_settings(var: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DATABASE_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE")
    }
    env["VAR_DIR"] = str(var)
    subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, check=True, cwd=settings.BASE_DIR, timeout=60
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_var_folder_is_private(tmp_path):
    var = tmp_path / "var"
    _run_settings(var)
    assert _mode(var) == 0o700
    assert _mode(var / "secret-key") == 0o600
    assert _mode(var / "secretariat.sqlite3") == 0o600
    assert (var / "secretariat.sqlite3").stat().st_size > 0  # the database really is there
    assert _mode(var / "mail") == 0o700


def test_an_existing_readable_var_folder_is_tightened(tmp_path):
    var = tmp_path / "var"
    (var / "mail").mkdir(parents=True, mode=0o755)
    var.chmod(0o755)
    (var / "mail").chmod(0o755)
    (var / "secret-key").write_text("an-old-key")
    (var / "secret-key").chmod(0o644)
    (var / "secretariat.sqlite3").touch()
    (var / "secretariat.sqlite3").chmod(0o644)
    _run_settings(var)
    assert _mode(var) == 0o700
    assert _mode(var / "mail") == 0o700
    assert _mode(var / "secret-key") == 0o600
    assert (var / "secret-key").read_text() == "an-old-key"  # kept, only tightened
    assert _mode(var / "secretariat.sqlite3") == 0o600
