"""The Redis cache as deployed (CACHE_URL=redis://...), against the real Redis on 127.0.0.1."""

import os
import threading

from django.core.cache.backends.redis import RedisCache

from config.settings import cache_from_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_cache() -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})


def test_a_redis_cache_url_uses_django_s_redis_cache():
    assert cache_from_url("redis://127.0.0.1:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


def test_it_stores_reads_and_deletes_values():
    cache = redis_cache()
    cache.set("figures", {"complete": 3}, 30)
    assert cache.get("figures") == {"complete": 3}
    assert cache.get_many(["figures", "missing"]) == {"figures": {"complete": 3}}
    cache.delete("figures")
    assert cache.get("figures") is None


def test_threads_share_the_client_safely():
    cache = redis_cache()
    errors = []

    def work(n):
        try:
            for k in range(50):
                cache.set(f"thread-{n}-{k}", k, 30)
                assert cache.get(f"thread-{n}-{k}") == k
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    cache.delete_many([f"thread-{n}-{k}" for n in range(8) for k in range(50)])
