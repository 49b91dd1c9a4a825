"""Messages of Django and allauth that their own Dutch catalogues lack.

Listed here so that `makemessages` puts them in locale/nl; this project's catalogue
comes first, so patients see Dutch. Nothing imports this module.
"""

from django.utils.translation import ngettext_lazy

# Django 5.2 reworded this message; its Dutch catalogue still has only the old text.
ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)
