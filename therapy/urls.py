from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from courses import views as course_views
from therapy import bench
from therapy.journey import offline
from therapy.journey import views as journey_views

# The admin login goes through allauth: its rate limits and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", journey_views.home, name="home"),
    path("healthz", journey_views.healthz, name="healthz"),
    path("csp-report/", journey_views.csp_report, name="csp-report"),
    # At the root: a service worker controls only the pages under its own address.
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("therapist/", include("therapy.clinic.urls")),
    path("messages/", include("therapy.messaging.urls")),
    path("", include("therapy.journey.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("privacy/", account_views.privacy, name="privacy"),
    # Same address and name as allauth's login; only the status of a blocked attempt differs.
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    # The link in an invitation email (courses/joining.py); it goes on to the signup page.
    path(
        "accounts/invitation/<str:token>/",
        course_views.accept_invitation,
        name="invitation-accept",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("courses/", include("courses.urls")),
    path("admin/", admin.site.urls),
    # A 404 unless the benchmark turned it on (BENCH_BARE_VIEW; therapy/bench.py).
    path("bench/bare/", bench.bare, name="bench-bare"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
