"""Installable and working offline: the web app manifest, the service worker, the offline
page, and the session check the offline queue asks before it sends.

The service worker is static/js/sw.js, served from the site's root (a worker controls the
pages under its own address, so /static/js/sw.js could not control /today/). Its first line
is its settings from here: what it keeps (the precache, with the static files' real
addresses), which pages it may keep and for how long. Patients' pages are only kept when
this list names them: /today/ and lessons, never the dashboard, the diary, messages or
account pages, and for PAGE_MAX_AGE at most.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import PRACTICE_LOG_WINDOW_DAYS

# How long the service worker may serve a kept page of hers (it also holds her practice
# numbers of that day): after that it is deleted and she sees the offline page.
PAGE_MAX_AGE_SECONDS = 24 * 60 * 60
# The pages the service worker keeps when she opens them (regular expressions on the path).
KEPT_PAGES = [r"^/today/$", r"^/courses/[^/]+/[^/]+/$"]
# What it keeps from the start: the offline page's and the timer's files and the icons.
PRECACHE_STATIC = [
    "css/base.css",
    "css/practice.css",
    "js/drafts.js",
    "js/offline.js",
    "js/practice-queue.js",
    "js/timer.js",
    "js/routine.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]
SW_SOURCE = "js/sw.js"
THEME_COLOR = "#2f6f6a"  # --accent in static/css/base.css
BACKGROUND_COLOR = "#f8f4ee"  # --bg


@require_safe
def manifest(request):
    data = {
        "name": "Bekkenbodem online",
        "short_name": "Bekkenbodem",
        "description": _(
            "An online pelvic-floor course, step by step: for urine loss, prolapse and low "
            "back pain."
        ),
        "lang": "nl",
        "dir": "ltr",
        "start_url": reverse("therapy:today"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _read_static(path):
    found = finders.find(path)
    if found:
        with open(found, "rb") as file:
            return file.read()
    # After collectstatic without the source tree (not the case here, but cheap to allow).
    from django.contrib.staticfiles.storage import staticfiles_storage

    with staticfiles_storage.open(path) as file:
        return file.read()


def _build_worker():
    source = _read_static(SW_SOURCE)
    precache = [static(path) for path in PRECACHE_STATIC] + [reverse("therapy:offline")]
    # A new version whenever the worker or any precached file changes: the browser then
    # installs the new worker, which keeps the new files and drops the old ones.
    digest = hashlib.sha256(source)
    for path in PRECACHE_STATIC:
        digest.update(_read_static(path))
    config = {
        "version": digest.hexdigest()[:12],
        "precache": precache,
        "offlineUrl": reverse("therapy:offline"),
        "sessionUrl": reverse("therapy:offline-session"),
        "queueScript": static("js/practice-queue.js"),
        "keptPages": KEPT_PAGES,
        "mediaUrl": settings.MEDIA_URL,
        "staticUrl": settings.STATIC_URL,
        "pageMaxAgeSeconds": PAGE_MAX_AGE_SECONDS,
        "maxAgeDays": PRACTICE_LOG_WINDOW_DAYS,
    }
    return b"self.OFFLINE_CONFIG = " + json.dumps(config).encode() + b";\n" + source


@functools.cache
def _kept_worker():
    return _build_worker()


@require_safe
def service_worker(request):
    body = _build_worker() if settings.DEBUG else _kept_worker()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit; it must never get a stale one.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_page(request):
    """What the service worker shows offline for a page it did not keep: calm, no data."""
    return render(request, "therapy/offline.html")


@never_cache
@require_safe
def offline_session(request):
    """Who is logged in here, and a CSRF token: the offline queue asks before it sends a
    run saved hours ago (the page's token may be old, the worker has none of its own) and
    sends only her own runs. Nothing else; never kept by any cache."""
    user = request.user
    logged_in = user.is_authenticated
    return JsonResponse(
        {
            "user": str(user.pk) if logged_in else None,
            "csrfToken": get_token(request) if logged_in else None,
        }
    )
