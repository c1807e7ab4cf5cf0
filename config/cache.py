"""Django's Redis cache, with one redis-py client per connection pool rather than per call.

Django builds a new `redis.Redis` for every cache operation, and each one builds its table of
some 170 response callbacks: about a tenth of a warm dashboard's time in the process
(bench/dashboard_throughput.py), where the session is the one Redis read. A client over a
pool is safe to share, as redis-py documents, so each pool keeps one.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
