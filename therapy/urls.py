from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import staff_views, views

# The admin login goes through allauth: its rate limits and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)

# The patient's therapy journey (app namespace "therapy"); this module is also the root.
therapy_patterns = (
    [
        path("dashboard/", views.dashboard, name="dashboard"),
        path("diary/", views.diary, name="diary"),
        path("practice/log/", views.practice_log, name="practice-log"),
        path("questionnaires/<slug:slug>/", views.questionnaire, name="questionnaire"),
        path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    ],
    "therapy",
)

therapist_patterns = (
    [
        path("", staff_views.patient_list, name="patient-list"),
        path("patients/<int:pk>/", staff_views.patient_detail, name="patient-detail"),
        path("patients/<int:pk>/unlock/", staff_views.unlock_next_step, name="unlock-step"),
        path("patients/<int:pk>/records.csv", staff_views.patient_csv, name="patient-csv"),
        path("questions/<int:pk>/", staff_views.answer_question, name="answer-question"),
    ],
    "therapist",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("therapist/", include(therapist_patterns)),
    path("", include(therapy_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("privacy/", account_views.privacy, name="privacy"),
    # Same address and name as allauth's login; only the status of a blocked attempt differs.
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("courses/", include("courses.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
