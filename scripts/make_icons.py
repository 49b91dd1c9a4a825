"""Draws the app icons of the web app manifest (static/img/icon-*.png) from the favicon's
shapes: a teal disc with a cream smile and a peach head.

    .venv/bin/python scripts/make_icons.py

The "any" icons are the disc on a transparent square; the maskable one fills the whole
square with the teal and keeps the drawing inside the centre 80 % (the safe zone a phone
may crop to a circle or a rounded square). Colours are those of static/css/base.css and
static/img/favicon.svg. Drawn 4× larger and scaled down, for smooth edges.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = "#2f6f6a"  # --accent in base.css: also the manifest's theme_color
CREAM = "#f6f1ea"
PEACH = "#e9b99a"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"
SCALE = 4


def draw(size, *, maskable):
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=ACCENT)
        unit = big * 0.8 / 64  # the favicon's 64-unit drawing in the safe zone
        origin = big * 0.1
    else:
        unit = big / 64
        origin = 0
        pen.ellipse((2 * unit, 2 * unit, 62 * unit, 62 * unit), fill=ACCENT)

    def at(x, y):
        return (origin + x * unit, origin + y * unit)

    # The smile: the favicon's curve from (14, 30) to (50, 30), 6 units wide.
    pen.arc((*at(14, 16), *at(50, 37)), start=20, end=160, fill=CREAM, width=round(6 * unit))
    pen.ellipse((*at(26, 14), *at(38, 26)), fill=PEACH)
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS uses apple-touch-icon, which it does not mask: the full square.
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
