"""The benchmark's bare page (scripts/bench.py): what a page costs with no work in it.

It goes through the same middleware, with the same session and login, as the patient's
pages and sends a body of a lesson page's size (BENCH_BARE_BYTES), so that the benchmark
can tell how much of a page's cost is the page itself. A 404 unless BENCH_BARE_VIEW is on,
which therapy/settings.py allows only with DEBUG or the benchmark's own database.
"""

import functools

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from accounts.navigation import login_required


@functools.cache
def _body(size):
    start, end = "<!doctype html><html lang=nl><title>bench</title><p>", "</p></html>\n"
    return (start + "x" * max(0, size - len(start) - len(end)) + end).encode()


@require_safe
@login_required
def bare(request):
    if not settings.BENCH_BARE_VIEW:
        raise Http404
    return HttpResponse(_body(settings.BENCH_BARE_BYTES), content_type="text/html; charset=utf-8")
