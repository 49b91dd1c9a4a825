from django.urls import path

from . import views

app_name = "therapy"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("diary/", views.diary, name="diary"),
    path("practice/log/", views.practice_log, name="practice-log"),
    path("questionnaires/<slug:slug>/", views.questionnaire, name="questionnaire"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
