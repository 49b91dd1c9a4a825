"""Where to send someone next: a `next` address only if it is on this site, and back to the
form she was filling in when her session had ended."""

import functools
from urllib.parse import urlparse

from django.contrib.auth.views import redirect_to_login
from django.utils.http import url_has_allowed_host_and_scheme


def _is_ours(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, default=None):
    """The `next` page (POST, else GET) if it is on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    return target if _is_ours(request, target) else default


def back_after_login(request, fallback=None):
    """Where to come back to after logging in: this page for a GET; for a form that was
    sent, the page it was on (the Referer when it is this site's, else `fallback`) — never
    an address that only takes POST, which would end on a 405."""
    if request.method in {"GET", "HEAD"}:
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if _is_ours(request, referer):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return fallback or request.get_full_path()


def login_required(view=None, *, form_page=None):
    """Django's login_required, but a form sent after the session ended comes back to its page.

    `form_page(request, **kwargs)` names that page when the browser sent no Referer. What she
    typed waits in the browser (static/js/drafts.js) until the save succeeds.
    """

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view_func(request, *args, **kwargs)
            fallback = form_page(request, *args, **kwargs) if form_page else None
            return redirect_to_login(back_after_login(request, fallback))

        return wrapper

    return decorate(view) if view is not None else decorate
