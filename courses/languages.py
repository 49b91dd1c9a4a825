"""The languages course content is written in, and which texts of a page fell back to Dutch.

The texts themselves are columns of their rows (courses/translation.py). This module answers
the questions the rest of the project asks about them, so that none of it needs to know
how django-modeltranslation names its columns.
"""

from django.conf import settings
from django.utils import translation
from modeltranslation.fields import TranslationField
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, get_translation_fields


def source_language():
    """The language every text is written in first, and the one shown when one is missing."""
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def all_languages():
    """Every language course content may be written in, Dutch first."""
    return (source_language(), *other_languages())


def other_languages():
    """The languages a text may also be written in, e.g. ("en",)."""
    return tuple(code for code in settings.MODELTRANSLATION_LANGUAGES if code != source_language())


def content_language():
    """The language of the page being made, as far as course content has it."""
    language = translation.get_language() or source_language()
    language = language.split("-")[0]
    return language if language in settings.MODELTRANSLATION_LANGUAGES else source_language()


def translated_fields(model):
    """The names of `model`'s fields that have a text per language, e.g. ("title", "body")."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def column(field_name, language):
    """The column holding `field_name` in `language`: column("title", "en") == "title_en"."""
    return build_localized_fieldname(field_name, language)


def is_language_column(field):
    """True for the per-language columns themselves (title_nl, title_en), not for `title`."""
    return isinstance(field, TranslationField)


def missing(instance, fields=None, language=None):
    """The fields of `instance` that have a Dutch text but none in `language` (the page's
    language by default): those the patient reads in Dutch. Empty for the source language."""
    language = language or content_language()
    if language == source_language():
        return ()
    names = fields or translated_fields(type(instance))
    return tuple(
        name
        for name in names
        if getattr(instance, column(name, source_language()), None)
        and not getattr(instance, column(name, language), None)
    )


class LessonFallback:
    """Which parts of a lesson page she reads in Dutch because her language has none yet.

    Falsy when the page has everything in her language (always, in Dutch). The template
    marks each Dutch part with lang="nl", so that a screen reader and the read-aloud button
    speak it as Dutch, and shows one note.
    """

    def __init__(self, lesson, exercises=(), images=()):
        self.language = content_language()
        self.source = source_language()
        own = set(missing(lesson, language=self.language))
        self.title = "title" in own
        self.summary = "summary" in own
        self.body = "body" in own
        self.transcript = "transcript" in own and lesson.has_video  # shown with a video only
        # What the lesson page shows of them (an exercise's starting position is for the
        # routine on the Today page).
        self.exercises = {
            e.pk for e in exercises if missing(e, ("name", "instructions"), self.language)
        }
        self.images = {i.pk for i in images if missing(i, language=self.language)}

    def __bool__(self):
        return bool(
            self.title
            or self.summary
            or self.body
            or self.transcript
            or self.exercises
            or self.images
        )

    @property
    def language_name(self):
        """Her language's name in her language, e.g. "English"."""
        return translation.get_language_info(self.language)["name_translated"]

    @property
    def body_language(self):
        """The language the lesson's text is in as shown (for the read-aloud voice)."""
        return self.source if self.body else self.language


class SideBySideLanguages:
    """For a TranslationAdmin or a translation inline: each text's languages on one row of
    the form (Dutch, then English beside it), so the therapist translates with the Dutch in
    view. django-modeltranslation alone puts them one under the other. Fields named in
    `languages_stacked` keep that: the lesson text, whose editor already has its preview
    beside it."""

    languages_stacked = ()

    def replace_orig_field(self, option):
        if not option:
            return option
        translated = self.trans_opts.all_fields
        rows = []
        for entry in option:
            if isinstance(entry, (tuple, list)):
                row = []
                for name in entry:
                    row.extend(get_translation_fields(name) if name in translated else [name])
                rows.append(tuple(row))
            elif entry in translated and entry in self.languages_stacked:
                rows.extend(get_translation_fields(entry))
            elif entry in translated:
                rows.append(tuple(get_translation_fields(entry)))
            else:
                rows.append(entry)
        return rows
