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
