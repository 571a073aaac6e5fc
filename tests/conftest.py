import pytest

from tests.base import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()
