"""Marking course texts that are shown in Dutch on a page in another language."""

from django import template
from django.utils.html import format_html

from courses import languages

register = template.Library()


@register.filter
def lang_attr(instance, field):
    """` lang="nl"` when `instance`'s `field` is shown in Dutch because the page's language
    has no text for it yet, so that screen readers and read-aloud speak it as Dutch; else ""."""
    if instance is None or not languages.missing(instance, fields=(field,)):
        return ""
    return format_html(' lang="{}"', languages.source_language())
