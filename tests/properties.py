"""Hypothesis settings for the property tests (tests/test_url_converters.py,
tests/test_form_bounds.py).

Modest, because they run in `make test` on every change. database=None, so that no example
database is written into the repository (a failure prints its example instead), and
Hypothesis's other storage (its cache of constants) goes to a temporary folder.
Function-scoped fixtures (the cast) are fine here: no example writes anything that
another example would read.
"""

import os
import tempfile

from hypothesis import HealthCheck, settings

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="hypothesis-"))

PROPERTIES = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
