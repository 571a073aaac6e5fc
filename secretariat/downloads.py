"""Opening stored files for a response.

A file can be missing from storage although its row says otherwise (a restore from an
older backup, a bucket cleaned by hand): the visitor is then told 404, never shown a
500, and the log says which file is gone.
"""

from __future__ import annotations

import logging
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import Http404

logger = logging.getLogger(__name__)


def open_stored(field_file: FieldFile) -> IO[bytes]:
    if not field_file:
        raise Http404
    try:
        return field_file.open("rb")
    except (FileNotFoundError, OSError) as error:
        logger.error("stored file %s is missing: %s", field_file.name, error)
        raise Http404 from error
