"""The environment really switches engines: CI's second pass runs on PostgreSQL and Redis."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from secretariat.settings import env_bool


def test_database_follows_database_url(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_cache_and_broker_follow_redis_url():
    if os.environ.get("REDIS_URL"):
        assert settings.Q_CLUSTER["redis"] == os.environ["REDIS_URL"]
        assert "orm" not in settings.Q_CLUSTER
        cache.set("secretariat-test", "値", 10)
        assert cache.get("secretariat-test") == "値"
    else:
        assert settings.Q_CLUSTER["orm"] == "default"


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", default=True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        env_bool("X_FLAG")


def test_debug_is_off_and_media_is_not_routed():
    assert settings.DEBUG is False
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "materials/x.pdf")
