"""Her summary for the GP or her own physiotherapist: one printable A4 page, and its PDF.

This module only gathers: every number comes from the functions the dashboard uses
(progress.py, courses/programme.py, Questionnaire.judge_change), so the page, the PDF and
the dashboard cannot disagree. The PDF is made by WeasyPrint, which needs Pango from the
system; without it the page still works and says what is missing.
"""

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import Profile
from accounts.timezones import today_for
from courses import programme as programmes
from courses.models import Enrollment

from . import progress
from .models import SafetyCheck

# The diary trend compares weeks with a diary on at least this many days: a week she
# started, or one she wrote on twice, says little about how often she leaks.
TREND_WEEK_DAYS = 4


@dataclass
class SummaryWeek:
    """One week of the table: routine sessions against the target, and her diary."""

    monday: object
    sessions: int
    target: int
    leaks: int | None
    back_pain: float | None
    diary_days: int

    @property
    def target_met(self):
        return bool(self.target) and self.sessions >= self.target


def summary_context(user):
    """Everything the summary shows about `user` (a fixed number of queries)."""
    profile = Profile.objects.filter(user=user).select_related("therapist").first()
    enrollment = Enrollment.objects.current_for(user)
    programme = progress.programme_for(user, enrollment=enrollment)
    course = programme.course if programme else None
    outline = programme.outline if programme else None
    practice = progress.practice_summary(user, programme)
    diary = progress.diary_weeks(user)
    histories = progress.score_histories(user, course=course)
    start = progress.therapy_start(user, enrollment)
    checks = list(SafetyCheck.objects.filter(user=user).order_by("answered_at", "pk"))
    return {
        "patient": user,
        "profile": profile,
        "therapist": profile.therapist if profile else None,
        "made_on": today_for(user),
        "start": start,
        "course": course,
        "outline": outline,
        "programme": programme,
        "phase_label": programmes.Phase(programme.phase).label if programme else None,
        "practice": practice,
        "weeks": _weeks(practice, diary, start if programme else None),
        "diary_trend": _trend(diary),
        "trend_week_days": TREND_WEEK_DAYS,
        "scored": [h for h in histories if h.responses],
        "safety_checks": len(checks),
        "last_safety_check": checks[-1] if checks else None,
        "red_flags": [check for check in checks if check.flags],
        "pdf_unavailable": pdf_unavailable(),
    }


def _weeks(practice, diary, start):
    """The weeks since her start (of the last WEEKS_SHOWN), newest first; without a start
    (no course), only the weeks she practised or kept her diary."""
    first = progress.week_start(start) if start else None
    rows = [
        SummaryWeek(
            monday=monday,
            sessions=sessions,
            target=practice.target,
            leaks=point.leaks,
            back_pain=point.back_pain,
            diary_days=point.days,
        )
        for (monday, sessions), point in zip(practice.weeks, diary, strict=True)
        if (first and monday >= first) or sessions or point.days
    ]
    return rows[::-1]


def _trend(diary):
    """Her first and latest well-kept diary week of the table (None with fewer than two)."""
    with_data = [point for point in diary if point.days >= TREND_WEEK_DAYS]
    if len(with_data) < 2:
        return None
    return {"first": with_data[0], "latest": with_data[-1]}


# --- The PDF ---------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here; str() says what is missing."""


def load_weasyprint():
    """WeasyPrint, imported when first needed: it loads Pango from the system, and a
    machine without Pango must still serve every other page."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a system library is missing
        raise PdfUnavailable(
            _(
                "WeasyPrint cannot start (%(reason)s). It needs Pango: libpango-1.0-0 and "
                "libpangoft2-1.0-0."
            )
            % {"reason": error}
        ) from error
    return weasyprint


def pdf_unavailable():
    """Why there is no PDF on this machine, or None when there is one."""
    try:
        load_weasyprint()
    except PdfUnavailable as error:
        return str(error)
    return None


def _static_file(url):
    """The local file of one of our static URLs, or None for anything else."""
    prefix = settings.STATIC_URL
    path = url.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].split("/", 1)[-1]
    if not path.startswith(prefix) or ".." in path:
        return None
    name = path[len(prefix) :]
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        stored = Path(staticfiles_storage.path(name))  # collectstatic's (hashed) copy
    except NotImplementedError:
        return None
    return stored if stored.is_file() else None


def _fetcher_class(weasyprint):
    class StaticOnlyFetcher(weasyprint.URLFetcher):
        """Our own static files from disk; nothing else, and never the network."""

        def fetch(self, url, headers=None):
            found = _static_file(url)
            if found is None:
                raise ValueError(f"not one of the site's static files: {url}")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, found.read_bytes(), {"Content-Type": content_type}
            )

    return StaticOnlyFetcher


def pdf_response(request, ctx, filename):
    """The summary as a PDF download (attachment, never stored by a cache)."""
    weasyprint = load_weasyprint()
    html = render_to_string("therapy/summary.html", {**ctx, "as_pdf": True}, request=request)
    document = weasyprint.HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=_fetcher_class(weasyprint)(),
    )
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response(reason):
    response = HttpResponse(
        _("PDF not available: %(reason)s") % {"reason": reason},
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response
