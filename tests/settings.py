"""Test settings: the real settings with a throwaway media folder and tasks run inline."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="secretariat-test-var-"))

from secretariat.settings import *  # noqa: F403
from secretariat.settings import Q_CLUSTER

MEDIA_ROOT = tempfile.mkdtemp(prefix="secretariat-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# django-q2 reads this at import: tasks run in the caller, exceptions propagate.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Serve static files from the source folders, so browser tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MATERIAL_MAX_BYTES = 200 * 1024
