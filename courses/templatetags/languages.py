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


@register.filter
def lang_of(instance, field):
    """` lang="…"` naming the language `instance`'s `field` is shown in, on a page that is not
    in Dutch: for texts that may sit inside a part shown in Dutch (an image placed in a
    lesson text that has no English yet) while they have their own English. "" in Dutch."""
    page = languages.content_language()
    if instance is None or page == languages.source_language():
        return ""
    shown = languages.source_language() if languages.missing(instance, (field,), page) else page
    return format_html(' lang="{}"', shown)
