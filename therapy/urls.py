from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

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

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(therapy_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("privacy/", account_views.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("courses/", include("courses.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
