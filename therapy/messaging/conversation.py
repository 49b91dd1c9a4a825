"""Her conversation as one list in time order: the messages, and the questions she asked
on lessons with their answers (courses.LessonQuestion), which stay where they are — on
the lesson page, in the therapist's open questions, as FAQ — and show here too."""

from dataclasses import dataclass

from courses.models import LessonQuestion

from .models import Message

# The latest messages a page shows; older ones are in her data export.
SHOWN = 200


@dataclass
class Entry:
    from_patient: bool
    sender: object  # a User, or None when the therapist's account is gone
    text: str
    at: object
    unread: bool = False
    message: Message | None = None
    question: LessonQuestion | None = None
    is_answer: bool = False

    @property
    def lesson(self):
        return self.question.lesson if self.question else None

    @property
    def anchor(self):
        if self.message:
            return f"message-{self.message.pk}"
        return f"{'answer' if self.is_answer else 'question'}-{self.question.pk}"


def timeline(patient):
    """Oldest first (newest at the bottom), in two queries whatever its length."""
    messages = list(
        Message.objects.filter(patient=patient)
        .select_related("sender")
        .order_by("-sent_at", "-pk")[:SHOWN]
    )
    entries = [
        Entry(
            from_patient=m.from_patient,
            sender=patient if m.from_patient else m.sender,
            text=m.text,
            at=m.sent_at,
            unread=m.read_at is None,
            message=m,
        )
        for m in messages
    ]
    since = messages[-1].sent_at if len(messages) == SHOWN else None
    questions = LessonQuestion.objects.filter(user=patient).select_related(
        "lesson__step__course", "answered_by"
    )
    if since is not None:
        questions = questions.filter(asked_at__gte=since)
    for question in questions:
        entries.append(
            Entry(
                from_patient=True,
                sender=patient,
                text=question.text,
                at=question.asked_at,
                question=question,
            )
        )
        if question.answered_at:
            entries.append(
                Entry(
                    from_patient=False,
                    sender=question.answered_by,
                    text=question.answer,
                    at=question.answered_at,
                    question=question,
                    is_answer=True,
                )
            )
    entries.sort(key=lambda entry: entry.at)
    return entries
