from allauth.account.decorators import reauthentication_required
from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import access_log, export
from .forms import ConsentForm, DeleteAccountForm, ProfileForm
from .middleware import remember_timezone
from .models import Consent, Profile
from .navigation import safe_next
from .services import user_erase


def _get_profile_for_user(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    return profile


@require_safe
def privacy(request):
    return render(request, "accounts/privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    profile = _get_profile_for_user(request)
    first_intake = profile.intake_completed_at is None
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        if first_intake:
            profile.intake_completed_at = timezone.now()
        form.save()
        translation.activate(profile.language)
        remember_timezone(request, profile.timezone)
        messages.success(request, _("Your details have been saved."))
        # After the first intake come the safety questions (settings.INTAKE_NEXT_URL).
        response = redirect(settings.INTAKE_NEXT_URL if first_intake else "accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            profile.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    ctx = {"form": form, "profile": profile, "first_intake": first_intake}
    return render(request, "accounts/profile.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Consent.record(request.user)
        messages.success(request, _("Thank you. You can continue where you were."))
        return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    ctx = {
        "form": form,
        "next": safe_next(request, ""),
        "version": settings.PRIVACY_STATEMENT_VERSION,
        "had_consent": request.user.consents.exists(),
        "export_url": reverse("accounts:export"),
        "delete_url": reverse("accounts:delete"),
    }
    return render(request, "accounts/consent.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def export_data(request):
    """All her data as JSON, after she entered her password again (as for erasure)."""
    if request.method == "GET":
        return render(request, "accounts/export.html")
    access_log.record_access(request, request.user, "data export")
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(
        export.export_json(request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bekkenbodem-online-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_erase(user=user)
        messages.success(
            request, _("Your account and all your data have been deleted. We wish you well.")
        )
        return redirect("home")
    ctx = {
        "form": form,
        "summary": export.summary(request.user),
        "export_url": reverse("accounts:export"),
    }
    return render(request, "accounts/delete.html", ctx)


class LoginView(AllauthLoginView):
    """allauth's login, answering 429 when the failed-login rate limit blocks an attempt."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {error.code for error in form.non_field_errors().as_data()}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
        return response
