"""`{% fragment name vary… %}…{% endfragment %}`: a piece of a page rendered once and kept.

For the parts of patient pages that are the same for everyone who gets the same key — an
exercise card at a given dose, a lesson's text and pictures: rendering them is most of a
page's cost, and they change only with the content (pass `course.content_version`) or
the dose. The active language is always part of the key.

Kept in process memory (like courses/content.py), never in the shared cache, and never
with anything of one patient in it:
- `{% csrf_token %}` inside a fragment is rendered as a placeholder and filled in with this
  request's token on the way out (a cached token would hand one patient another's secret);
- `fresh_key="name"` makes `{{ name }}` a placeholder that gets a new UUID on every output
  (the idempotency key of a form);
- `unless=expression` renders afresh and keeps nothing while the expression is true (a
  form that comes back with what she typed and its errors);
- the key may hold only plain values (str, int, bool, None, tuples and frozen dataclasses
  of those):
  a model instance would turn into its name and let two objects share a key.
"""

import dataclasses
import re
import secrets
import threading
import uuid
from collections import OrderedDict

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

KEEP = 2000
_kept = OrderedDict()
_lock = threading.Lock()
# Random per process, so that no lesson text can contain them.
CSRF_SLOT = f"csrf-{secrets.token_hex(12)}"
KEY_SLOT = f"key-{secrets.token_hex(12)}"
KEY_SLOTS = re.compile(re.escape(KEY_SLOT))
_PLAIN = (str, int, bool, type(None))


def _plain(value):
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:
        return (type(value).__name__, *(_plain(v) for v in dataclasses.astuple(value)))
    raise TypeError(f"a fragment key takes plain values, not {type(value).__name__}")


class FragmentNode(template.Node):
    def __init__(self, name, vary, fresh, unless, nodelist):
        self.name, self.vary, self.fresh, self.nodelist = name, vary, fresh, nodelist
        self.unless = unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(_plain(v.resolve(context)) for v in self.vary))
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            slots = {"csrf_token": CSRF_SLOT, "_in_fragment": True}
            if self.fresh:
                slots[self.fresh] = KEY_SLOT
            with context.push(**slots):
                html = self.nodelist.render(context)
            with _lock:
                _kept[key] = html
                while len(_kept) > KEEP:
                    _kept.popitem(last=False)
        request = context.get("request")
        if context.get("_in_fragment") or getattr(request, "keep_slots", False):
            # The outermost fragment, or the kept page (courses/pagecache.py), fills them in.
            return mark_safe(html)  # noqa: S308
        if CSRF_SLOT in html:
            token = context.get("csrf_token")
            html = html.replace(CSRF_SLOT, conditional_escape(str(token)) if token else "")
        if KEY_SLOT in html:
            # Each form gets a key of its own, also when one fragment holds several.
            html = KEY_SLOTS.sub(lambda _match: str(uuid.uuid4()), html)
        return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


@register.tag
def fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    options = {}
    while bits and bits[-1].split("=", 1)[0] in {"fresh_key", "unless"}:
        option, value = bits.pop().split("=", 1)
        options[option] = value
    fresh = options.get("fresh_key", "").strip("\"'") or None
    unless = parser.compile_filter(options["unless"]) if "unless" in options else None
    name = bits[0].strip("\"'")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary = [parser.compile_filter(bit) for bit in bits[1:]]
    return FragmentNode(name, vary, fresh, unless, nodelist)


def forget_all():
    with _lock:
        _kept.clear()
