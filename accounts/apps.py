from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .models import Consent, Profile
        from .versions import track

        # Her pages show these: a change makes her kept pages stale (accounts/versions.py).
        track(Profile)
        track(Consent)
