"""When Redis stops, logged-in pages keep working and /healthz?full=1 says the cache is down.

A Redis of the test's own is started on a free port and stopped in the middle of the test
(the machine's Redis on 6379 is never touched).
"""

import shutil
import socket
import subprocess
import time

import pytest

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(not REDIS, reason="needs redis-server (apt-get install redis)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_port(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield port, process
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_port):
    port, process = redis_port
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return process


def test_it_keeps_her_pages_working_when_redis_stops(client, alice, lessons, redis_cache):
    client.force_login(alice)
    assert client.get("/healthz?full=1").status_code == 200
    assert client.get("/dashboard/").status_code == 200

    redis_cache.terminate()
    redis_cache.wait(timeout=10)

    for path in ("/dashboard/", "/diary/", "/courses/", lessons[0].get_absolute_url()):
        assert client.get(path).status_code == 200, path
    saved = client.post(
        "/diary/",
        {"date": "2026-12-01", "leaks": 1, "pads": 1, "urgency": 0, "back_pain": 2},
    )
    assert saved.status_code == 302
    assert client.get("/healthz").status_code == 200  # alive
    full = client.get("/healthz?full=1")
    assert full.status_code == 503  # but not ready: the load balancer can take it out
    assert full.content == b"cache unavailable\n"


def test_it_lets_her_log_in_while_redis_is_down(client, alice, redis_cache):
    from tests.factories import PASSWORD

    redis_cache.terminate()
    redis_cache.wait(timeout=10)

    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    # Rate limits go on counting in the local stand-in: she is not locked out …
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_it_still_limits_guessing_while_redis_is_down(client, alice, redis_cache):
    redis_cache.terminate()
    redis_cache.wait(timeout=10)

    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "alice@example.com", "password": "wrong"})
    sixth = client.post("/accounts/login/", {"login": "alice@example.com", "password": "wrong"})

    assert sixth.status_code == 429  # … and guessing is still slowed down
