from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from therapy.journey import views as journey_views

# The admin login goes through allauth: its rate limits and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", journey_views.home, name="home"),
    path("healthz", journey_views.healthz, name="healthz"),
    path("csp-report/", journey_views.csp_report, name="csp-report"),
    path("therapist/", include("therapy.clinic.urls")),
    path("messages/", include("therapy.messaging.urls")),
    path("", include("therapy.journey.urls")),
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
