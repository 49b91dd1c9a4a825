"""Her data version: new whenever anything that her own pages show changes.

Every model that holds something of one patient that her pages show registers here with
the way to her user id (`track(Model, "user_id")`, or a function for a row that belongs
to her through another one). Saving or deleting such a row through the ORM gives her
`User.data_version` a new value; code that changes rows with a queryset `update()` or
`bulk_create()` calls `data_changed()` itself. Saving the user does it too (User.save).

Kept pages (courses/pagecache.py) use the version in their key: a page is never older
than her data. A version is a fresh random number, never a counter, so that a user object
loaded before a change and saved after it cannot bring an old version back.
"""

import contextlib
import contextvars
import secrets

from django.db.models.signals import post_delete, post_save

_tracked = {}
# The users whose data this request (or task) changed, while someone watches.
_changed = contextvars.ContextVar("accounts_versions_changed", default=None)


def new_version():
    return secrets.randbits(62)


def data_changed(*user_ids):
    """Her pages (or theirs) are to be built afresh."""
    from .models import User

    ids = {pk for pk in user_ids if pk is not None}
    if ids:
        User.objects.filter(pk__in=ids).update(data_version=new_version())
        note_changed(*ids)


def note_changed(*user_ids):
    """Tell whoever watches (watching_changes) that these users' data changed."""
    watched = _changed.get()
    if watched is not None:
        watched.update(user_ids)


@contextlib.contextmanager
def watching_changes():
    """Yields the set of user ids whose data changes inside the block."""
    changed = set()
    token = _changed.set(changed)
    try:
        yield changed
    finally:
        _changed.reset(token)


def track(model, user_of="user_id"):
    """Changes to rows of `model` change the data version of the patient they belong to.

    `user_of`: the attribute holding her user id, or a function of the row returning it.
    """
    _tracked[model] = user_of if callable(user_of) else (lambda row: getattr(row, user_of))


def tracked_models():
    return set(_tracked)


def _row_changed(sender, instance, raw=False, **kwargs):
    user_of = _tracked.get(sender)
    if user_of is not None and not raw:
        data_changed(user_of(instance))


post_save.connect(_row_changed, dispatch_uid="accounts.versions.saved")
post_delete.connect(_row_changed, dispatch_uid="accounts.versions.deleted")
