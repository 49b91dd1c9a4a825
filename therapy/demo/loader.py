"""Read and check the demo content in therapy/demo/content/ (the format: its README.md).

Only reads files: `manage.py seed_demo` writes what these functions return to the database.
Every problem raises ContentError with the path of the file at the start of the message.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models

from courses.models import Course, Exercise, Lesson, LessonImage, Step
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

    def allowed(self):
        # What the admin's form for the model shows, minus files and links to other rows.
        names = {
            f.name
            for f in self.model._meta.concrete_fields
            if f.editable
            and not f.primary_key
            and not f.is_relation
            and not isinstance(f, models.FileField)
        }
        names -= self.set_by_loader | {field for _key, field in self.aliases}
        return names | {key for key, _field in self.aliases} | self.structural


COURSE = Keys(Course, frozenset({"slug", "title", "summary", "steps"}), frozenset({"steps"}))
STEP = Keys(
    Step,
    frozenset({"title", "introduction", "unlock_after_days", "unlock_after_sessions"}),
    set_by_loader=frozenset({"order"}),  # the step's place in course.toml
)
LESSON = Keys(
    Lesson,
    frozenset({"slug", "title", "step", "order", "summary", "minutes"}),
    structural=frozenset({"step", "exercises", "images"}),
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
    set_by_loader=frozenset({"order"}),  # its place in the lesson's [[exercises]]
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
class LessonContent:
    path: Path
    step: int  # 1-based, as in course.toml
    fields: dict  # Lesson fields, slug and body included
    exercises: list  # Exercise fields per exercise, in order
    images: list  # ImageContent, in order

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

    lessons, by_slug, by_place = [], {}, {}
    for lesson_path in sorted((root / "lessons").glob("*.md")):
        lesson = _load_lesson(lesson_path, root / "images", len(steps))
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
    return CourseContent(path=path, fields=fields, steps=steps, lessons=lessons)


def load_questionnaires(root=CONTENT_DIR):
    """Every questionnaires/<slug>.toml, checked, by slug."""
    return [
        _load_questionnaire(path) for path in sorted((Path(root) / "questionnaires").glob("*.toml"))
    ]


def _load_lesson(path, images_dir, step_count):
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
        _fields(path, f"[[exercises]] {number}", table, EXERCISE)
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
    return LessonContent(path=path, step=step, fields=fields, exercises=exercises, images=images)


def _load_questionnaire(path):
    data = _read_toml(path)
    fields = _fields(path, "", data, QUESTIONNAIRE)
    fields["slug"] = _clean(path, "the file name", Questionnaire, "slug", path.stem)
    fields.setdefault("published", True)
    # TOML has no empty value: a questionnaire without the key is asked only once.
    fields.setdefault("repeat_every_weeks", None)
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
    return fields


def _clean(path, where, model, name, value):
    if isinstance(value, str):
        value = value.strip()  # as the admin's forms strip what the therapist types
    try:
        return model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        raise ContentError(path, f"{where}: {' '.join(error.messages)}") from None
