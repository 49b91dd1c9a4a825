"""The shared cache (Redis) with a local stand-in for when Redis is down.

django-redis's IGNORE_EXCEPTIONS answers "not cached" when Redis is unreachable, but
allauth's rate limits then cannot take their lock and refuse every login (they fail
closed): one dead Redis would lock all patients out. This backend falls back to a small
in-process cache instead, and skips Redis for a few seconds after a failure so that pages
do not wait for a timeout on every cache call:

- logged-in pages keep working (sessions are cached_db: the database has them, and while
  Redis is down they are read from there, never from one process's memory);
- rate limits keep counting, per server process: looser than across all servers, but on;
- /healthz?full=1 answers 503 while Redis is down (accounts.cache.redis_is_up).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("therapy.cache")

# The keys of django.contrib.sessions.backends.cached_db.
SESSION_PREFIX = "django.contrib.sessions.cached_db"
# After a failure, leave Redis alone for this long before trying again.
RETRY_AFTER_SECONDS = 5


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache("redis-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._down_until = 0.0

    @property
    def is_up(self):
        return time.monotonic() >= self._down_until

    def _call(self, name, *args, **kwargs):
        if self.is_up:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError) as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "Redis unreachable (%s); using the local cache", type(error).__name__
                )
        if args and isinstance(args[0], str) and args[0].startswith(SESSION_PREFIX):
            # Not a session from this process's memory: one logged out on another server
            # would stay valid here. cached_db reads it from the database instead.
            return kwargs.get("default", args[1] if name == "get" and len(args) > 1 else None)
        return getattr(self._local, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self._call("decr", *args, **kwargs)

    def clear(self):
        self._local.clear()
        return self._call("clear")


def redis_is_up(cache):
    """For the readiness check: False while this cache is on its local stand-in."""
    if isinstance(cache, FallbackRedisCache):
        try:
            return bool(cache.client.get_client().ping())
        except Exception:
            return False
    return True
