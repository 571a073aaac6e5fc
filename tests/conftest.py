import pytest
from django.core.cache import cache

from tests.base import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits (secretariat/throttle.py) count in the cache: each test starts at zero."""
    cache.clear()
