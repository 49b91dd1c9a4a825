"""Her practice calendar: the iCalendar feed behind /calendar/<token>.ics.

Practice times come from her reminder time and the sessions a day of her phase (a few a
week in maintenance), questionnaire dates from the questionnaires' schedule. The events say
"practise" or "a questionnaire is due" and link to the site: no exercise, score or
complaint, because a calendar is shared with phones, laptops and sometimes other people.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from accounts.timezones import today_for, zone_for

from . import progress

DAYS_AHEAD = 28
QUESTIONNAIRE_DAYS_AHEAD = 200
FIRST_DEFAULT = datetime.time(8, 30)
LAST_START = datetime.time(21, 0)
PRACTICE_MINUTES = 15


def practice_times(first, per_day):
    """The day's practice times: the first at her reminder time, then spread until 21:00."""
    if per_day <= 0:
        return []
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), first)
    last = datetime.datetime.combine(datetime.date(2000, 1, 1), max(first, LAST_START))
    gap = min(datetime.timedelta(hours=5), (last - start) / max(per_day - 1, 1))
    return [(start + gap * i).time().replace(second=0, microsecond=0) for i in range(per_day)]


def maintenance_days(per_week):
    """Weekdays (0 = Monday) for a few sessions a week, spread over the week."""
    per_week = max(0, min(per_week, 7))
    return sorted({round(i * 7 / per_week) % 7 for i in range(per_week)}) if per_week else []


def feed_ics(user, programme, *, now):
    """The calendar as bytes. `programme`: courses.programme.build for her, or None."""
    zone = zone_for(user)
    today = today_for(user, now)
    profile = getattr(user, "profile", None)
    first = (profile.reminder_time if profile else None) or FIRST_DEFAULT
    site = settings.SITE_URL.rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Bekkenbodem online//calendar//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Pelvic floor practice"))
    cal.add("x-published-ttl", "PT12H")
    if programme is not None:
        course = programme.course
        for offset in range(DAYS_AHEAD):
            day = today + datetime.timedelta(days=offset)
            if programme.in_maintenance:
                days = maintenance_days(course.maintenance_sessions_per_week)
                count = 1 if day.weekday() in days else 0
            else:
                count = course.sessions_per_day
            for number, moment in enumerate(practice_times(first, count), start=1):
                start = datetime.datetime.combine(day, moment, tzinfo=zone)
                cal.add_component(_practice_event(user, start, number, f"{site}/today/", now=now))
        for questionnaire, due in _due_dates(user, programme, today):
            cal.add_component(_questionnaire_event(user, questionnaire, due, site, now=now))
    return cal.to_ical()


def _due_dates(user, programme, today):
    start = programme.enrollment.enrolled_at
    start_date = start.astimezone(zone_for(user)).date()
    found = []
    for questionnaire in progress.published_questionnaires(programme.course):
        day = today  # from tomorrow: today's is on her dashboard, perhaps already answered
        while True:
            day = questionnaire.next_due_after(start_date, day)
            if day is None or day > today + datetime.timedelta(days=QUESTIONNAIRE_DAYS_AHEAD):
                break
            found.append((questionnaire, day))
    return found


def _practice_event(user, start, number, link, *, now):
    event = Event()
    event.add("uid", f"practice-{start:%Y%m%d}-{number}-{user.pk}@bekkenbodem")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=PRACTICE_MINUTES))
    event.add("summary", _("Pelvic floor practice"))
    event.add("description", _("Your routine for today: %(link)s") % {"link": link})
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Time to practise"))
    alarm.add("trigger", datetime.timedelta(minutes=0))
    event.add_component(alarm)
    return event


def _questionnaire_event(user, questionnaire, due, site, *, now):
    link = site + reverse("therapy:questionnaire", args=[questionnaire.slug])
    event = Event()
    event.add("uid", f"questionnaire-{questionnaire.pk}-{due:%Y%m%d}-{user.pk}@bekkenbodem")
    event.add("dtstamp", now)
    event.add("dtstart", due)
    event.add("dtend", due + datetime.timedelta(days=1))
    # The questionnaire's title says nothing about her; its score never goes in.
    event.add("summary", _("Questionnaire to fill in"))
    event.add("description", link)
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("A questionnaire is due today"))
    alarm.add("trigger", datetime.timedelta(hours=9))  # 09:00 on the day
    event.add_component(alarm)
    return event
