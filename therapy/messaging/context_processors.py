from .services import unread_count


def unread_messages(request):
    """The unread count in the navigation, worked out only when a page shows it.

    A view that has just changed it (her conversation, which she has now read) passes its
    own `unread_messages`, which wins over this one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found = []

    def count():
        if not found:
            found.append(unread_count(user))
        return found[0]

    return {"unread_messages": count}
