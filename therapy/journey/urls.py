from django.urls import path

from . import offline, views

app_name = "therapy"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/log/", views.routine_log, name="routine-log"),
    path("help/", views.help_page, name="help"),
    path("safety/", views.safety_questions, name="safety"),
    path("safety/help-sought/", views.safety_help_sought, name="safety-help-sought"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/summary/", views.summary, name="summary"),
    path("dashboard/summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("feedback/<int:pk>/read/", views.feedback_read, name="feedback-read"),
    path("diary/", views.diary, name="diary"),
    path("diary/rest/", views.diary_rest_day, name="diary-rest"),
    path("practice/log/", views.practice_log, name="practice-log"),
    path("questionnaires/<slug:slug>/", views.questionnaire, name="questionnaire"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/renew/", views.calendar_renew, name="calendar-renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("offline/", offline.offline_page, name="offline"),
    path("offline/session/", offline.offline_session, name="offline-session"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
