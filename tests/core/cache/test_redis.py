"""The Redis cache backend keeps one client per connection pool (and still behaves as Django's)."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must start it (.ci/run does)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from vhttdl.core.cache.redis import RedisCache

    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache"})
    backend.clear()
    yield backend
    backend.clear()


def test_one_client_per_pool_is_reused(cache):
    first = cache._cache.get_client()
    assert cache._cache.get_client() is first and cache._cache.get_client(write=True) is first


def test_it_behaves_as_a_django_cache(cache):
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    assert cache.get_many(["a", "b"]) == {"a": {"x": 1}}
    assert cache.add("a", 2) is False and cache.add("c", 3) is True
    cache.set("n", 1)
    assert cache.incr("n") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")
