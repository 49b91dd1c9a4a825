"""Read and check the demo content in therapy/demo/content/ (the format: its README.md).

Only reads files: `manage.py seed_demo` writes what these functions return to the database.
Every problem raises ContentError with the path of the file at the start of the message.
"""

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from courses import languages
from courses.models import Course, Exercise, ExerciseDose, Lesson, LessonImage, Step
from therapy.journey.models import AnswerOption, Question, Questionnaire, ScoreBand

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "+++"
LESSON_FILE = re.compile(r"\d{2,}-(?P<slug>[a-z0-9-]+)\.md")


class ContentError(ValueError):
    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = path


@dataclass(frozen=True)
class Keys:
    """The keys of one kind of table: those every file must give, and those it may give.

    Besides `required` and `structural`, a table may hold any other field of `model` that can
    be typed in the admin; it is checked by that field and passed through. So a field added to
    the model later needs no change here.
    """

    model: type[models.Model]
    required: frozenset
    structural: frozenset = frozenset()  # keys the loader uses itself, not model fields
    aliases: tuple = ()  # (key in the file, model field)
    set_by_loader: frozenset = frozenset()  # model fields that never come from a file
    # Fields left out get the model's default instead of keeping what the database holds.
    defaults_for_missing: bool = False

    def allowed(self):
        # What the admin's form for the model shows, minus files and links to other rows.
        names = {
            f.name
            for f in self.model._meta.concrete_fields
            if f.editable
            and not f.primary_key
            and not f.is_relation
            and not isinstance(f, models.FileField)
            # title_nl, title_en, …: a file gives `title`; other languages have own files.
            and not languages.is_language_column(f)
        }
        names -= self.set_by_loader | {field for _key, field in self.aliases}
        return names | {key for key, _field in self.aliases} | self.structural

    def model_fields(self):
        """The allowed keys that are fields of the model (not structural, not aliases)."""
        return self.allowed() - self.structural - {key for key, _field in self.aliases}


COURSE = Keys(Course, frozenset({"slug", "title", "summary", "steps"}), frozenset({"steps"}))
STEP = Keys(
    Step,
    frozenset({"title", "introduction", "unlock_after_days", "unlock_after_sessions"}),
    set_by_loader=frozenset({"order"}),  # the step's place in course.toml
)
LESSON = Keys(
    Lesson,
    frozenset({"slug", "title", "step", "order", "summary", "minutes"}),
    structural=frozenset({"step", "exercises", "images", "video", "captions"}),
    aliases=(("minutes", "estimated_minutes"),),
    set_by_loader=frozenset({"body"}),  # the text after the front matter
)
EXERCISE = Keys(
    Exercise,
    frozenset(
        {
            "name",
            "kind",
            "hold_seconds",
            "relax_seconds",
            "repetitions",
            "sets",
            "rest_between_sets_seconds",
            "instructions",
        }
    ),
    # `replaces` names an exercise of an earlier lesson; `dose_steps` become ExerciseDose rows.
    structural=frozenset({"replaces", "dose_steps"}),
    set_by_loader=frozenset({"order"}),  # its place in the lesson's [[exercises]]
    # An exercise is wholly its table: dropping `in_routine = true` from a file must take it
    # out of every patient's routine again, not leave the old value in the database.
    defaults_for_missing=True,
)
DOSE_STEP = Keys(
    ExerciseDose,
    frozenset({"from_week", "hold_seconds", "relax_seconds", "repetitions"}),
    defaults_for_missing=True,  # sets = 1
)
IMAGE = Keys(
    LessonImage,
    frozenset({"file", "alt_text", "caption"}),
    structural=frozenset({"file"}),
    set_by_loader=frozenset({"order"}),
)
QUESTIONNAIRE = Keys(
    Questionnaire,
    frozenset(
        {
            "title",
            "introduction",
            "min_meaningful_change",
            "higher_is_worse",
            "due_at_intake",
            "questions",
            "bands",
        }
    ),
    structural=frozenset({"questions", "bands"}),
    set_by_loader=frozenset({"slug"}),  # the file's name
)
QUESTION = Keys(
    Question,
    frozenset({"text", "options"}),
    structural=frozenset({"options"}),
    set_by_loader=frozenset({"order"}),
)
OPTION = Keys(AnswerOption, frozenset({"label", "score"}), set_by_loader=frozenset({"order"}))
BAND = Keys(ScoreBand, frozenset({"min_score", "max_score", "label"}))


@dataclass(frozen=True)
class ImageContent:
    path: Path  # the PNG (or JPEG/WebP) file under images/
    fields: dict  # LessonImage fields: alt_text, caption, …


@dataclass(frozen=True)
class ExerciseRef:
    """Where an exercise is in the content: its lesson and its place in [[exercises]]."""

    lesson: str  # the lesson's slug
    order: int  # from 1


@dataclass(frozen=True)
class ExerciseContent:
    fields: dict  # Exercise fields (every one the file may give), without `replaces`
    dose_steps: list  # ExerciseDose fields per dose step, by from_week
    replaces_name: str | None = None  # what the file says
    replaces: ExerciseRef | None = None  # the exercise of an earlier lesson it names


@dataclass(frozen=True)
class LessonContent:
    path: Path
    step: int  # 1-based, as in course.toml
    fields: dict  # Lesson fields, slug and body included
    exercises: list  # ExerciseContent, in order
    images: list  # ImageContent, in order
    video: Path | None = None  # an MP4 under videos/
    captions: dict = field(default_factory=dict)  # language -> a WebVTT file under videos/

    @property
    def slug(self):
        return self.fields["slug"]


@dataclass(frozen=True)
class CourseContent:
    path: Path
    fields: dict  # Course fields
    steps: list  # Step fields per step, in order
    lessons: list  # LessonContent, by step and order


@dataclass(frozen=True)
class QuestionnaireContent:
    path: Path
    fields: dict  # Questionnaire fields, slug included
    questions: list  # (Question fields, [AnswerOption fields]) per question, in order
    bands: list  # ScoreBand fields per band


def load_course(root=CONTENT_DIR):
    """course.toml with every lessons/NN-<slug>.md, checked."""
    root = Path(root)
    path = root / "course.toml"
    data = _read_toml(path)
    fields = _fields(path, "", data, COURSE)
    fields.setdefault("published", True)
    steps = [
        _fields(path, f"[[steps]] {number}", table, STEP)
        for number, table in enumerate(_tables(path, data, "steps", ""), start=1)
    ]
    if not steps:
        raise ContentError(path, "the course has no [[steps]]")
    for language, words_path, words in _words(root, "course.toml"):
        _translate(words_path, "", fields, words, COURSE, language, structural=("steps",))
        step_words = _same_tables(words_path, words, "steps", "", steps, "course.toml")
        for number, (step, table) in enumerate(zip(steps, step_words, strict=True), start=1):
            _translate(words_path, f"[[steps]] {number}", step, table, STEP, language)

    lessons, by_slug, by_place = [], {}, {}
    for lesson_path in sorted((root / "lessons").glob("*.md")):
        lesson = _load_lesson(lesson_path, root, len(steps))
        if lesson.slug in by_slug:
            raise ContentError(
                lesson_path, f"slug {lesson.slug!r} is already used by {by_slug[lesson.slug].name}"
            )
        place = (lesson.step, lesson.fields["order"])
        if place in by_place:
            raise ContentError(
                lesson_path,
                f"step {place[0]} already has a lesson with order {place[1]}: "
                f"{by_place[place].name}",
            )
        by_slug[lesson.slug] = by_place[place] = lesson_path
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.step, lesson.fields["order"]))
    _no_strays(root, "lessons", {lesson.path.name for lesson in lessons}, top=True)
    return CourseContent(path=path, fields=fields, steps=steps, lessons=_resolve_replaces(lessons))


def _words(root, name):
    """(language, path, data) for each other language: the words of the Dutch file `name`
    (relative to `root`) in that language, from `<root>/<language>/<name>`. A language
    without the file still comes back, with no words: its texts are then shown in Dutch."""
    for language in languages.other_languages():
        path = root / language / name
        if not path.is_file():
            data = {}
        elif path.suffix == ".md":
            front, body = _split_front_matter(path)
            data = {**_parse_toml(path, front), "body": body}
        else:
            data = _read_toml(path)
        yield language, path, data


def _same_tables(path, data, key, where, dutch, dutch_name):
    """The [[key]] tables of a words file: none, or one per table of the Dutch file."""
    tables = _tables(path, data, key, where)
    if tables and len(tables) != len(dutch):
        place = f"{where}: " if where else ""
        raise ContentError(
            path,
            f"{place}{len(tables)} [[{key}]] tables; {dutch_name} has {len(dutch)}: "
            "give one per table, in the same order, or none",
        )
    return tables or [{}] * len(dutch)


def _translate(path, where, fields, table, keys, language, structural=()):
    """Add to `fields` the model's texts in `language` from `table` (None for those it
    leaves out, so that taking a word out of a file takes it out of the database)."""
    names = languages.translated_fields(keys.model)
    unknown = sorted(table.keys() - set(names) - set(structural))
    if unknown:
        place = f"{where}: " if where else ""
        raise ContentError(
            path,
            f"{place}unknown key {', '.join(map(repr, unknown))}; a file of words gives only "
            f"{', '.join(sorted(set(names) | set(structural)))}",
        )
    for name in names:
        value = table.get(name)
        value = (
            None
            if value is None
            else _clean(path, f"{where} {name}".strip(), keys.model, name, value)
        )
        fields[languages.column(name, language)] = value or None


def load_questionnaires(root=CONTENT_DIR):
    """Every questionnaires/<slug>.toml, checked, by slug."""
    paths = sorted((Path(root) / "questionnaires").glob("*.toml"))
    _no_strays(Path(root), "questionnaires", {path.name for path in paths})
    return [_load_questionnaire(path) for path in paths]


def _no_strays(root, folder, dutch_names, top=False):
    """A file in a language folder must be the words of a Dutch file: one named otherwise
    (a renamed or misspelt file) would be left unread, its texts silently Dutch."""
    for language in languages.other_languages():
        words = root / language
        if top and words.is_dir():
            for path in sorted(words.iterdir()):
                if path.name not in {"course.toml", "lessons", "questionnaires"}:
                    raise ContentError(
                        path,
                        "not a words file: a language folder holds course.toml, "
                        "lessons/ and questionnaires/",
                    )
        for path in sorted((words / folder).glob("*")) if (words / folder).is_dir() else []:
            if path.name not in dutch_names:
                raise ContentError(
                    path, f"there is no {folder}/{path.name} in Dutch for these words"
                )


def _content_file(path, where, name, folder, suffixes):
    """A file named in a lesson's front matter: only a name, in `folder`, that exists."""
    # Only a name: a path could point anywhere on the disk.
    if not isinstance(name, str) or Path(name).name != name or name.startswith("."):
        raise ContentError(
            path, f"{where}: file must be a file name in {folder.name}/, not {name!r}"
        )
    if Path(name).suffix.lower() not in suffixes:
        raise ContentError(path, f"{where}: {name!r} must be a {' or '.join(suffixes)} file")
    found = folder / name
    if not found.is_file():
        raise ContentError(path, f"{where}: file {folder.name}/{name} does not exist")
    return found


def _load_lesson(path, root, step_count):
    images_dir = root / "images"
    match = LESSON_FILE.fullmatch(path.name)
    if not match:
        raise ContentError(path, "a lesson file is named NN-<slug>.md, e.g. 01-welkom.md")
    front, body = _split_front_matter(path)
    data = _parse_toml(path, front)
    fields = _fields(path, "", data, LESSON)
    if fields["slug"] != match["slug"]:
        raise ContentError(
            path, f"slug {fields['slug']!r} differs from the file name's {match['slug']!r}"
        )
    step = data["step"]
    if type(step) is not int or not 1 <= step <= step_count:
        raise ContentError(
            path, f"step {step!r} does not exist; course.toml has steps 1 to {step_count}"
        )
    fields["body"] = body
    fields.setdefault("published", True)

    exercises = [
        _load_exercise(path, f"[[exercises]] {number}", table)
        for number, table in enumerate(_tables(path, data, "exercises", ""), start=1)
    ]
    images = []
    for number, table in enumerate(_tables(path, data, "images", ""), start=1):
        where = f"[[images]] {number}"
        image_fields = _fields(path, where, table, IMAGE)
        name = table["file"]
        # Only a name: a path could point anywhere on the disk.
        if not isinstance(name, str) or Path(name).name != name or name.startswith("."):
            raise ContentError(path, f"{where}: file must be a file name in images/, not {name!r}")
        image_path = images_dir / name
        if not image_path.is_file():
            raise ContentError(path, f"{where}: image file images/{name} does not exist")
        images.append(ImageContent(path=image_path, fields=image_fields))
    video = (
        _content_file(path, "video", data["video"], root / "videos", (".mp4",))
        if "video" in data
        else None
    )
    captions = {}
    languages = {code for code, _name in settings.LANGUAGES}
    for language, name in dict(data.get("captions", {})).items():
        if language not in languages:
            raise ContentError(path, f"captions: {language!r} is not one of {sorted(languages)}")
        captions[language] = _content_file(
            path, f"captions.{language}", name, root / "videos", (".vtt",)
        )
    if captions and video is None:
        raise ContentError(path, 'captions: there is no video for them (video = "….mp4")')
    for language, words_path, words in _words(root, f"lessons/{path.name}"):
        _translate(
            words_path, "", fields, words, LESSON, language, structural=("exercises", "images")
        )
        for kind, contents, keys in (("exercises", exercises, EXERCISE), ("images", images, IMAGE)):
            tables = _same_tables(words_path, words, kind, "", contents, path.name)
            for number, (content, table) in enumerate(zip(contents, tables, strict=True), start=1):
                _translate(
                    words_path, f"[[{kind}]] {number}", content.fields, table, keys, language
                )
    return LessonContent(
        path=path,
        step=step,
        fields=fields,
        exercises=exercises,
        images=images,
        video=video,
        captions=captions,
    )


def _load_exercise(path, where, table):
    fields = _fields(path, where, table, EXERCISE)
    where = f"{where} ({fields['name']})"
    exercise = Exercise(**fields)  # unsaved: only to ask the model's dose rules
    _check_dose(path, where, exercise, fields)

    replaces = table.get("replaces")
    if replaces is not None and (not isinstance(replaces, str) or not replaces.strip()):
        raise ContentError(path, f"{where}: replaces must be the name of an exercise")
    if replaces is not None and not fields["in_routine"]:
        raise ContentError(
            path, f"{where}: replaces is for routine exercises; add in_routine = true"
        )

    dose_steps, weeks = [], set()
    for dose_table in _tables(path, table, "dose_steps", where):
        step = _fields(path, f"{where}, dose_steps", dose_table, DOSE_STEP)
        step_where = f"{where}, dose_steps from week {step['from_week']}"
        if step["from_week"] < 2:
            raise ContentError(
                path,
                f"{step_where}: week 1 is the exercise's own dose (hold_seconds, relax_seconds, "
                "repetitions, sets); dose steps start at week 2 or later",
            )
        if step["from_week"] in weeks:
            raise ContentError(path, f"{step_where}: there is already a dose step for that week")
        weeks.add(step["from_week"])
        _check_dose(path, step_where, exercise, step)
        dose_steps.append(step)
    if dose_steps and not fields["in_routine"]:
        raise ContentError(
            path,
            f"{where}: dose_steps are the routine's doses over the weeks; add in_routine = true",
        )
    dose_steps.sort(key=lambda step: step["from_week"])
    return ExerciseContent(
        fields=fields,
        dose_steps=dose_steps,
        replaces_name=replaces.strip() if replaces else None,
    )


def _check_dose(path, where, exercise, dose):
    """The model's dose rules (Exercise.check_dose), as for a dose step in the admin."""
    errors = exercise.check_dose(
        dose["hold_seconds"], dose["relax_seconds"], dose["repetitions"], dose["sets"]
    )
    if errors:
        problems = "; ".join(f"{field}: {message}" for field, message in errors.items())
        raise ContentError(path, f"{where}: {problems}")


def _resolve_replaces(lessons):
    """The lessons with each `replaces` name resolved to an exercise of an earlier lesson."""
    earlier = {}  # exercise name -> [(ExerciseRef, its lesson's path, in_routine)]
    resolved = []
    for lesson in lessons:
        exercises = []
        for number, content in enumerate(lesson.exercises, start=1):
            if content.replaces_name:
                ref = _earlier_exercise(lesson, number, content, earlier, lessons)
                content = replace(content, replaces=ref)
            exercises.append(content)
        for number, content in enumerate(lesson.exercises, start=1):
            earlier.setdefault(content.fields["name"], []).append(
                (ExerciseRef(lesson.slug, number), lesson.path, content.fields["in_routine"])
            )
        resolved.append(replace(lesson, exercises=exercises))
    return resolved


def _earlier_exercise(lesson, number, content, earlier, lessons):
    name = content.replaces_name
    where = f"[[exercises]] {number} ({content.fields['name']}): replaces {name!r}"
    found = earlier.get(name, [])
    if not found:
        later = [
            other.path.name
            for other in lessons
            if any(e.fields["name"] == name for e in other.exercises)
        ]
        if later:
            problem = f"that exercise is in {', '.join(later)}, not in an earlier lesson"
        else:
            problem = "no exercise of the course has that name"
        raise ContentError(
            lesson.path, f"{where}: {problem}; it must name an exercise of an earlier lesson"
        )
    if len(found) > 1:
        files = ", ".join(path.name for _ref, path, _routine in found)
        raise ContentError(
            lesson.path, f"{where}: more than one earlier exercise has that name ({files})"
        )
    [(ref, path, in_routine)] = found
    if not in_routine:
        raise ContentError(
            lesson.path, f"{where}: that exercise ({path.name}) is not in the routine"
        )
    return ref


def _load_questionnaire(path):
    data = _read_toml(path)
    fields = _fields(path, "", data, QUESTIONNAIRE)
    fields["slug"] = _clean(path, "the file name", Questionnaire, "slug", path.stem)
    fields.setdefault("published", True)
    # TOML has no empty value: a questionnaire without the key is asked only once, without
    # an end to its repeats and without re-tests.
    fields.setdefault("repeat_every_weeks", None)
    fields.setdefault("repeat_until_week", None)
    fields.setdefault("retest_weeks", "")
    questions = []
    for number, table in enumerate(_tables(path, data, "questions", ""), start=1):
        where = f"[[questions]] {number}"
        options = [
            _fields(path, f"{where}, option {option}", option_table, OPTION)
            for option, option_table in enumerate(_tables(path, table, "options", where), start=1)
        ]
        if not options:
            raise ContentError(path, f"{where} has no options")
        questions.append((_fields(path, where, table, QUESTION), options))
    if not questions:
        raise ContentError(path, "the questionnaire has no [[questions]]")
    bands = [
        _fields(path, f"[[bands]] {number}", table, BAND)
        for number, table in enumerate(_tables(path, data, "bands", ""), start=1)
    ]
    for language, words_path, words in _words(path.parent.parent, f"questionnaires/{path.name}"):
        _translate(
            words_path,
            "",
            fields,
            words,
            QUESTIONNAIRE,
            language,
            structural=("questions", "bands"),
        )
        tables = _same_tables(words_path, words, "questions", "", questions, path.name)
        for number, ((question, options), table) in enumerate(
            zip(questions, tables, strict=True), start=1
        ):
            where = f"[[questions]] {number}"
            _translate(words_path, where, question, table, QUESTION, language, ("options",))
            option_tables = _same_tables(words_path, table, "options", where, options, path.name)
            for option, (option_fields, option_table) in enumerate(
                zip(options, option_tables, strict=True), start=1
            ):
                _translate(
                    words_path,
                    f"{where}, option {option}",
                    option_fields,
                    option_table,
                    OPTION,
                    language,
                )
        band_tables = _same_tables(words_path, words, "bands", "", bands, path.name)
        for number, (band, table) in enumerate(zip(bands, band_tables, strict=True), start=1):
            _translate(words_path, f"[[bands]] {number}", band, table, BAND, language)
    return QuestionnaireContent(path=path, fields=fields, questions=questions, bands=bands)


def _read_toml(path):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "file not found") from None
    return _parse_toml(path, text)


def _parse_toml(path, text):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"not valid TOML: {error}") from None


def _split_front_matter(path):
    """(TOML text between the two +++ lines, the Markdown after them)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise ContentError(path, f"a lesson file starts with a {FRONT_MATTER} line")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER:
            # Stripped like every text the admin saves, so the blank line after +++ and the
            # file's last newline do not end up in the lesson.
            return "".join(lines[1:index]), "".join(lines[index + 1 :]).strip()
    raise ContentError(path, f"the front matter has no closing {FRONT_MATTER} line")


def _tables(path, data, key, where):
    """data[key] as a list of tables ([[key]] or an array of inline tables); [] if absent."""
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        place = f"{where}: " if where else ""
        raise ContentError(path, f"{place}{key} must be a list of tables ([[{key}]])")
    return tables


def _fields(path, where, table, keys):
    """The model fields of one table, each checked by its model field; keys checked first."""
    place = f"{where}: " if where else ""
    problems = []
    missing = sorted(keys.required - table.keys())
    if missing:
        problems.append(f"missing key {', '.join(map(repr, missing))}")
    unknown = sorted(table.keys() - keys.allowed())
    if unknown:
        problems.append(
            f"unknown key {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(sorted(keys.allowed()))}"
        )
    if problems:
        raise ContentError(path, place + "; ".join(problems))
    aliases = dict(keys.aliases)
    fields = {}
    for key, value in table.items():
        if key in keys.structural:
            continue
        name = aliases.get(key, key)
        fields[name] = _clean(path, f"{place}{key}", keys.model, name, value)
    if keys.defaults_for_missing:
        for name in keys.model_fields() - fields.keys():
            fields[name] = keys.model._meta.get_field(name).get_default()
    return fields


def _clean(path, where, model, name, value):
    if isinstance(value, str):
        value = value.strip()  # as the admin's forms strip what the therapist types
    try:
        return model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        raise ContentError(path, f"{where}: {' '.join(error.messages)}") from None
