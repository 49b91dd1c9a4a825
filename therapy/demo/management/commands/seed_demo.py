"""Fill the database with the Dutch demo course and, in development, two demo accounts.

The course, its lessons and questionnaires are files in therapy/demo/content/ (see its
README.md). Safe to run again and again: everything is looked up by slug, email, (lesson,
order) or (exercise, from_week) and brought back to the files' text, and images that already
exist are left alone. A lesson's exercises, images and dose steps that a file no longer has
are removed: the files are the truth for them.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from accounts.groups import THERAPISTS
from accounts.models import Complaint, Consent, Profile
from courses import languages
from courses.models import (
    Course,
    Enrollment,
    Exercise,
    ExerciseDose,
    Invitation,
    Lesson,
    LessonCaption,
    LessonImage,
    Step,
)
from courses.signals import content_changed
from therapy.demo.loader import ContentError, ExerciseRef, load_course, load_questionnaires
from therapy.demo.practice import load_practice, practice_seed
from therapy.journey.models import (
    AnswerOption,
    Question,
    Questionnaire,
    SafetyCheck,
    ScoreBand,
)

SITE_URL = "http://127.0.0.1:8000/"
# Public on purpose: only for the demo therapist of a development database.
INVITED_EMAIL = "uitgenodigd@example.com"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPDEMOTHERAPIST234"
COLLEAGUE_TOTP_SECRET = "JBSWY3DPEHPK3PXPDEMOCOLLEAGUE234"

THERAPIST = {
    "email": "therapeut@example.com",
    "password": "oefenen-therapeut-2026",
    "display_name": "Marieke (therapeut)",
}
PATIENT = {
    "email": "patient@example.com",
    "password": "oefenen-patient-2026",
    "display_name": "Anna",
}


def _bring_to(model, fields, **lookup):
    """The row found by `lookup` with `fields`, saved only when one of them differs: every
    save of a lesson, step, exercise or dose writes a history row (django-simple-history),
    and running seed_demo again on unchanged files should add none."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **fields)
    changed = {name: value for name, value in fields.items() if getattr(row, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        row.save()
    return row


def _same_file(field, data):
    try:
        with field.open("rb") as f:
            return f.read() == data
    except (FileNotFoundError, ValueError, OSError):
        return False


class Command(BaseCommand):
    help = (
        "Create or update the demo course and questionnaires from therapy/demo/content/, "
        "and (only with DEBUG on, or --force-users) a demo therapist and a demo patient."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-users",
            "--with-demo-users",
            action="store_true",
            dest="force_users",
            help="Also create the demo accounts when DEBUG is off. Their passwords are public.",
        )

    def handle(self, *args, **options):
        # The files' own words are Dutch: `title` is the Dutch column whatever language
        # the shell that runs this command (or a test before it) has switched on.
        with translation.override(languages.source_language()):
            self._handle(*args, **options)

    def _handle(self, *args, force_users=False, **options):
        with_users = settings.DEBUG or force_users
        try:
            course_content = load_course()
            questionnaire_content = load_questionnaires()
        except ContentError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            course, new_images = self._seed_course(course_content)
            questionnaires = self._seed_questionnaires(questionnaire_content)
            if with_users:
                therapist, patient = self._seed_users(course)
                colleague, practice = practice_seed(
                    course=course,
                    therapist=therapist,
                    make_staff=lambda **fields: self._demo_staff(
                        **fields, secret=COLLEAGUE_TOTP_SECRET
                    ),
                )
                invitation_token = self._seed_invitation(therapist, course)

        counts = {
            "steps": Step.objects.filter(course=course).count(),
            "lessons": Lesson.objects.filter(step__course=course).count(),
            "exercises": Exercise.objects.filter(lesson__step__course=course).count(),
            "routine": Exercise.objects.in_routine().filter(lesson__step__course=course).count(),
            "images": LessonImage.objects.filter(lesson__step__course=course).count(),
        }
        self.stdout.write(
            self.style.SUCCESS(
                f'Demo course "{course.title}" is ready: {counts["steps"]} steps, '
                f"{counts['lessons']} lessons, {counts['exercises']} exercises "
                f"({counts['routine']} in the routine), "
                f"{counts['images']} images ({new_images} newly stored), "
                f"{questionnaires} questionnaires."
            )
        )
        if not with_users:
            self.stdout.write(
                self.style.WARNING(
                    "Demo users skipped: DEBUG is off. Pass --force-users to create them anyway."
                )
            )
            return

        self.stdout.write("")
        self.stdout.write("Demo accounts (development only):")
        self.stdout.write(
            f"  therapist  {therapist.email:<24} password: {THERAPIST['password']}"
            f"   (admin: {SITE_URL}admin/)"
        )
        self.stdout.write(f"  patient    {patient.email:<24} password: {PATIENT['password']}")
        self.stdout.write(
            f"  colleague  {colleague.email:<24} password: "
            f"{load_practice()['therapist']['password']}   (two-factor secret "
            f"{COLLEAGUE_TOTP_SECRET})"
        )
        self.stdout.write(
            f"  The demo practice: {len(practice)} more patients with a history "
            f"(Marieke owns the practice and sees everyone; Sanne sees her own)."
        )
        codes = RecoveryCodes(
            Authenticator.objects.get(user=therapist, type=Authenticator.Type.RECOVERY_CODES)
        ).get_unused_codes()
        self.stdout.write(
            f"  The therapist's two-factor secret is {DEMO_TOTP_SECRET} (add it to an "
            "authenticator app),"
        )
        self.stdout.write(f"  or use a one-time recovery code: {', '.join(codes[:3])}")
        self.stdout.write(
            f"  An open invitation from the therapist to {INVITED_EMAIL}: "
            f"{SITE_URL}accounts/invitation/{invitation_token}/"
        )
        self.stdout.write(f"Open {SITE_URL}")

    def _seed_course(self, content):
        course_fields = dict(content.fields)
        course, _ = Course.objects.update_or_create(
            slug=course_fields.pop("slug"), defaults=course_fields
        )
        steps = {}
        for number, step_fields in enumerate(content.steps, start=1):
            steps[number] = _bring_to(Step, step_fields, course=course, order=number)
        new_images = 0
        exercises = {}  # ExerciseRef -> Exercise; lessons come in course order
        for lesson_content in content.lessons:
            lesson_fields = dict(lesson_content.fields)
            slug = lesson_fields.pop("slug")
            lesson = _bring_to(
                Lesson, {"step": steps[lesson_content.step], **lesson_fields}, slug=slug
            )
            for order, exercise_content in enumerate(lesson_content.exercises, start=1):
                exercise = self._seed_exercise(lesson, order, exercise_content, exercises)
                exercises[ExerciseRef(lesson.slug, order)] = exercise
            lesson.exercises.filter(order__gt=len(lesson_content.exercises)).delete()
            for order, image in enumerate(lesson_content.images, start=1):
                new_images += self._seed_image(lesson, order, image)
            lesson.images.filter(order__gt=len(lesson_content.images)).delete()
            self._seed_video(lesson, lesson_content)
        return course, new_images

    def _seed_video(self, lesson, content):
        """The lesson's own MP4 and its captions, stored again only when the file changed."""
        if content.video is None:
            return
        data = content.video.read_bytes()
        if not (lesson.video_file and _same_file(lesson.video_file, data)):
            lesson.video_file.save(content.video.name, ContentFile(data), save=True)
        for language, path in content.captions.items():
            caption = LessonCaption.objects.filter(lesson=lesson, language=language).first()
            text = path.read_bytes()
            if caption and _same_file(caption.file, text):
                continue
            caption = caption or LessonCaption(lesson=lesson, language=language)
            caption.file.save(path.name, ContentFile(text), save=True)
        lesson.captions.exclude(language__in=list(content.captions)).delete()

    def _seed_exercise(self, lesson, order, content, earlier):
        """The exercise at `order` in `lesson`, with its dose steps exactly as in the file."""
        # The loader checked that `replaces` names an exercise of an earlier lesson.
        replaces = earlier[content.replaces] if content.replaces else None
        exercise = _bring_to(
            Exercise, {**content.fields, "replaces": replaces}, lesson=lesson, order=order
        )
        for step in content.dose_steps:
            step_fields = dict(step)
            _bring_to(
                ExerciseDose, step_fields, exercise=exercise, from_week=step_fields.pop("from_week")
            )
        weeks = [step["from_week"] for step in content.dose_steps]
        exercise.dose_steps.exclude(from_week__in=weeks).delete()
        return exercise

    def _seed_image(self, lesson, order, content):
        """Store the image file unless this lesson already has it; 1 when stored."""
        texts = content.fields
        existing = LessonImage.objects.filter(lesson=lesson, order=order).first()
        if existing and existing.image and existing.image.storage.exists(existing.image.name):
            # A queryset update, so that save() does not rebuild the renditions for a text fix.
            # Loading the row filled in any missing width/height from the file; store them too.
            LessonImage.objects.filter(pk=existing.pk).update(
                **texts, width=existing.width, height=existing.height
            )
            content_changed()
            return 0

        # A row whose file went missing (e.g. a wiped media folder) gets the file again.
        image = existing or LessonImage(lesson=lesson, order=order)
        for field, value in texts.items():
            setattr(image, field, value)
        image.renditions = []
        name = f"{lesson.slug}-{order}{content.path.suffix}"
        # The content needs a name: for a nameless file Django sets width and height to None,
        # and then every later load of the row opens the image to measure it again.
        file = ContentFile(content.path.read_bytes(), name=name)
        image.image.save(name, file, save=False)
        image.save()
        return 1

    def _seed_questionnaires(self, contents):
        """Create or refresh the demo questionnaires; returns how many there are."""
        for content in contents:
            questionnaire_fields = dict(content.fields)
            questionnaire, _ = Questionnaire.objects.update_or_create(
                slug=questionnaire_fields.pop("slug"), defaults=questionnaire_fields
            )
            for order, (question_fields, options) in enumerate(content.questions, start=1):
                question, _ = Question.objects.update_or_create(
                    questionnaire=questionnaire, order=order, defaults=question_fields
                )
                for option_order, option_fields in enumerate(options, start=1):
                    AnswerOption.objects.update_or_create(
                        question=question, order=option_order, defaults=option_fields
                    )
            for band in content.bands:
                band_fields = dict(band)
                ScoreBand.objects.update_or_create(
                    questionnaire=questionnaire,
                    min_score=band_fields.pop("min_score"),
                    defaults=band_fields,
                )
        return len(contents)

    def _seed_users(self, course):
        therapist = self._demo_staff(**THERAPIST, secret=DEMO_TOTP_SECRET)
        patient = self._demo_user(**PATIENT, is_staff=False)
        Enrollment.objects.enrol(user=patient, course=course)
        # The demo patient has consented and done her intake, so she lands in the course.
        Consent.record(patient)
        Profile.objects.update_or_create(
            user=patient,
            defaults={
                "complaints": [Complaint.URINE_LOSS, Complaint.LOW_BACK_PAIN],
                "intake_completed_at": timezone.now(),
                "therapist": therapist,  # only her therapist (and the owner) sees her
            },
        )
        # She answered the safety questions after the intake: nothing applied.
        SafetyCheck.objects.get_or_create(
            user=patient, source=SafetyCheck.Source.INTAKE, defaults={"flags": []}
        )
        return therapist, patient

    def _demo_staff(self, *, email, password, display_name, secret):
        """A therapist of the demo practice, with a known two-factor secret."""
        therapist = self._demo_user(
            email=email, password=password, display_name=display_name, is_staff=True
        )
        group, created = Group.objects.get_or_create(name=THERAPISTS)
        if created:
            # The group normally comes from a migration, with the admin permissions attached.
            self.stdout.write(
                self.style.WARNING(
                    f'The "{THERAPISTS}" group was missing and has been created without '
                    "permissions; run `manage.py migrate` to get the real one."
                )
            )
        therapist.groups.add(group)
        # Staff must use two-factor authentication; demo therapists get a known secret.
        if not Authenticator.objects.filter(user=therapist, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(therapist, secret)
        if not Authenticator.objects.filter(
            user=therapist, type=Authenticator.Type.RECOVERY_CODES
        ).exists():
            RecoveryCodes.activate(therapist)
        return therapist

    def _seed_invitation(self, therapist, course):
        """One open invitation (development only); its link is renewed on every run, so that
        the printed one always works (only a hash of it is stored)."""
        invitation = Invitation.objects.filter(
            email=INVITED_EMAIL, used_at__isnull=True
        ).first() or Invitation(email=INVITED_EMAIL)
        invitation.course = course
        invitation.therapist = therapist
        invitation.withdrawn_at = None
        invitation.message = "Fijn dat je meedoet. We beginnen rustig, stap voor stap."
        token = invitation.new_link()
        invitation.save()
        return token

    def _demo_user(self, *, email, password, display_name, is_staff):
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=email).first() or user_model(email=email)
        user.display_name = display_name
        user.is_staff = is_staff
        user.is_active = True
        # Reset every run, so that the credentials printed below always work.
        user.set_password(password)
        user.save()

        # allauth requires a verified address before it lets anyone log in.
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        address = address or EmailAddress(user=user, email=email)
        address.verified = True
        address.primary = True
        address.save()
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
            primary=False
        )
        return user
