"""A patient's own pages, kept in process memory until anything on them changes.

`@kept_page` on a patient page (her lesson, course, routine, overview, diary) keeps the
page she was sent, under a key of everything it depends on:

- who she is and her data version (`User.data_version`, new on every change to her
  progress, practice, diary, doses, questions, answers and profile: accounts/versions.py);
- the content version of the courses (new on every change an editor makes, including
  published questions and questionnaires: courses/signals.py), read from the shared cache;
- the address with its query, the language, her own date (steps open with the days), and
  the urgent safety answer shown on every page until she confirms it.

So the next view of the same page is sent from memory, and a changed page never: its key
is new. Nothing is kept while messages are waiting to be shown, for staff, for anything
but a page that answered 200, or when building the page changed her data (the first
view of a lesson records that she opened it).

Kept in the memory of each process only, never in Redis or on disk: these pages hold
health data. One patient's page is only ever sent to her, under her own key. A page is
kept with placeholders where the CSRF token and the forms' one-time keys go, and every
answer gets this request's token and fresh keys (courses/templatetags/fragments.py).
"""

import functools
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from accounts.timezones import today_for
from accounts.versions import watching_changes

from .signals import content_version
from .templatetags.fragments import CSRF_SLOT, KEY_SLOTS

# Pages kept per process: a page is 10–20 KB, so this is at most a few tens of MB.
KEEP = 2000

_pages = OrderedDict()
_lock = threading.Lock()
# The session key of the urgent safety answer (therapy.journey.context_processors).
SAFETY_SESSION_KEY = "_safety_warning"


def kept_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if request.method != "GET" or not user.is_authenticated or user.is_staff:
            return view(request, *args, **kwargs)
        if not settings.KEEP_PAGES:  # the benchmark's pages built afresh
            return view(request, *args, **kwargs)
        if len(get_messages(request)):
            return view(request, *args, **kwargs)  # shown once, with this page
        key = (
            request.get_full_path(),
            user.pk,
            user.data_version,
            content_version(),
            get_language(),
            today_for(user),
            request.session.get(SAFETY_SESSION_KEY),
        )
        with _lock:
            kept = _pages.get(key)
            if kept is not None:
                _pages.move_to_end(key)
        if kept is None:
            request.keep_slots = True  # the CSRF token and form keys as placeholders
            with watching_changes() as changed:
                response = view(request, *args, **kwargs)
            request.keep_slots = False
            if user.pk in changed or not _keepable(request, response):
                return _filled(request, response)
            kept = (response.content.decode(response.charset), response["Content-Type"])
            with _lock:
                _pages[key] = kept
                while len(_pages) > KEEP:
                    _pages.popitem(last=False)
        html, content_type = kept
        return HttpResponse(fill_slots(request, html), content_type=content_type)

    return wrapper


def _keepable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    # A page that showed messages is not kept: they are shown once.
    storage = getattr(request, "_messages", None)
    return storage is None or not (storage.used or len(storage))


def _filled(request, response):
    if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode(response.charset)
        if CSRF_SLOT in html or KEY_SLOTS.search(html):
            response.content = fill_slots(request, html)
    return response


def fill_slots(request, html):
    """This request's CSRF token, and a fresh key for every form that needs one."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, get_token(request))
    return KEY_SLOTS.sub(lambda _match: str(uuid.uuid4()), html)


def csrf_slot(request):
    """Context processor: while a page is built to be kept, `{% csrf_token %}` writes the
    placeholder that every answer fills in with its own token."""
    return {"csrf_token": CSRF_SLOT} if getattr(request, "keep_slots", False) else {}


def forget_all():
    with _lock:
        _pages.clear()
