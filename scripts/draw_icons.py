"""Draw the site's bitmap icons from the logo in static/img/favicon.svg.

    python scripts/draw_icons.py

Writes static/root/favicon.ico (16, 32 and 48 px; browsers and feed readers ask for
/favicon.ico whatever a page links) and static/root/apple-touch-icon.png (180 px, opaque:
iOS paints a transparent corner black and rounds the corners itself). The files are
committed; the app never imports this script. Run it again only when the logo changes.

The same shapes as the SVG (a 64-unit square), drawn large with Pillow primitives and
scaled down, because Pillow's shapes have no anti-aliasing of their own.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "root"
TEAL = "#2f6f6a"
CREAM = "#f6f1ea"
PEACH = "#e9b99a"
UNIT = 16  # pixels per SVG unit while drawing: 1024 px for the 64-unit square


def _bezier(p0, p1, p2, p3, steps=400):
    """Points along a cubic Bézier curve (the smile: M14 30 c6 14 30 14 36 0)."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        points.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return points


def logo(*, full_bleed=False):
    """The logo on a 1024 px canvas: a teal disc, or (full_bleed) a teal square."""
    size = 64 * UNIT
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def u(value):
        return value * UNIT

    if full_bleed:
        draw.rectangle((0, 0, size, size), fill=TEAL)
    else:
        draw.ellipse((u(2), u(2), u(62), u(62)), fill=TEAL)
    # A thick stroke with round caps, as discs stamped close together along the curve
    # (Pillow's wide polylines show notches where the segments meet).
    radius = u(3)
    for x, y in _bezier((14, 30), (20, 44), (44, 44), (50, 30)):
        draw.ellipse((u(x) - radius, u(y) - radius, u(x) + radius, u(y) + radius), fill=CREAM)
    draw.ellipse((u(26), u(14), u(38), u(26)), fill=PEACH)
    return image


def favicon_ico():
    big = logo()
    sizes = [(16, 16), (32, 32), (48, 48)]
    frames = [big.resize(size, Image.Resampling.LANCZOS) for size in sizes]
    buffer = io.BytesIO()
    frames[-1].save(buffer, format="ICO", sizes=sizes, append_images=frames[:-1])
    return buffer.getvalue()


def apple_touch_icon():
    image = logo(full_bleed=True).resize((180, 180), Image.Resampling.LANCZOS).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("favicon.ico", favicon_ico()),
        ("apple-touch-icon.png", apple_touch_icon()),
    ):
        path = OUT / name
        path.write_bytes(data)
        print(f"{path.relative_to(OUT.parents[1])}  {len(data)} bytes")


if __name__ == "__main__":
    main()
