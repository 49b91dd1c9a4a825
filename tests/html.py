"""Reading the HTML of a page in tests: the attributes of its tags, without a browser."""

from html.parser import HTMLParser


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(page, name):
    """[attrs] of every <name> tag in a response or an HTML string."""
    parser = _Tags()
    parser.feed(page if isinstance(page, str) else page.content.decode())
    return [attrs for tag, attrs in parser.found if tag == name]


def hrefs(page):
    return [a.get("href") for a in tags(page, "a")]


class _Form(HTMLParser):
    """The fields of one form as a browser would send them (no files)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._selected = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside or "name" not in attrs and tag in {"input", "select", "textarea"}:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select, self._selected = attrs["name"], None
        elif tag == "option" and self._select:
            # The selected option, else the first one.
            if "selected" in attrs or self._selected is None:
                self._selected = (attrs.get("value", ""), "selected" in attrs)
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._selected is not None:
                self.fields.append((self._select, self._selected[0]))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(page, form_id=None):
    """{name: value or [values]} of a form (the first, or the one with this id)."""
    parser = _Form(form_id)
    parser.feed(page if isinstance(page, str) else page.content.decode())
    fields = {}
    for name, value in parser.fields:
        if name in fields:
            fields[name] = [
                *([fields[name]] if isinstance(fields[name], str) else fields[name]),
                value,
            ]
        else:
            fields[name] = value
    return fields
