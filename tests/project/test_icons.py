"""The site's icons: /favicon.ico and /apple-touch-icon.png answer at the root (browsers
ask for them whatever a page links), and the icons base.html links exist."""

import io
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

ROOT = settings.BASE_DIR / "static" / "root"


class _Icons(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") in {"icon", "apple-touch-icon"}:
            self.hrefs.setdefault(attrs["rel"], []).append(attrs["href"])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_serves_the_favicon_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    data = body(response)
    assert data == (ROOT / "favicon.ico").read_bytes()
    icon = Image.open(io.BytesIO(data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]


def test_it_serves_an_opaque_apple_touch_icon_at_the_root(client):
    response = client.get("/apple-touch-icon.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    icon = Image.open(io.BytesIO(body(response)))
    assert icon.size == (180, 180)
    assert icon.mode == "RGB"  # iOS paints transparent corners black


def test_it_links_icons_that_exist(client):
    response = client.get("/")
    parser = _Icons()
    parser.feed(response.content.decode())

    assert parser.hrefs["icon"][0] == "/favicon.ico"
    assert len(parser.hrefs["icon"]) == 2 and len(parser.hrefs["apple-touch-icon"]) == 1
    for href in parser.hrefs["icon"][1:] + parser.hrefs["apple-touch-icon"]:
        assert href.startswith(settings.STATIC_URL), href
        assert finders.find(href.removeprefix(settings.STATIC_URL)), href


def test_it_serves_nothing_else_at_the_root_from_static(client):
    # Only what is in static/root/ answers at the root; the rest of static/ does not.
    assert client.get("/hero.svg").status_code == 404
    assert client.get("/img/favicon.svg").status_code == 404
