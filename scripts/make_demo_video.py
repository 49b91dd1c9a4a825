"""Draw and encode the demo course's video: the rhythm of tightening and letting go.

    python scripts/make_demo_video.py

Writes therapy/demo/content/videos/aanspannen-en-ontspannen.mp4 and its captions
(….nl.vtt, ….en.vtt). Frames are drawn with Pillow — a pelvic floor seen from the side as
a curved line that lifts while she tightens and sinks while she lets go, with a bar that
fills as the seconds pass — and encoded with ffmpeg (Debian's package) as H.264 without
sound, small enough to commit (well under 2 MB). The picture has no words: the captions
carry them, one file per language. A maintenance tool, not used by the app.
"""

import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "therapy/demo/content/videos"
NAME = "aanspannen-en-ontspannen"
WIDTH, HEIGHT, FPS = 640, 360, 12
BG, INK, ACCENT, SOFT, LINE = "#f8f4ee", "#2b2a28", "#2f6f6a", "#c5e0dc", "#e3dace"

# (phase, seconds): breathe in, tighten and hold, let go and rest; three times.
INTRO = 3
BREATHE, HOLD, RELAX = 2, 5, 5
ROUNDS = 3

CAPTIONS = {
    "nl": {
        "intro": "Ga rustig zitten of liggen. We doen het ritme drie keer samen.",
        "breathe": "Adem rustig in.",
        "hold": "Span je bekkenbodem aan en houd vast: vijf tellen.",
        "relax": "Laat los en ontspan helemaal: vijf tellen.",
        "end": "Goed gedaan. Zo oefen je het vasthouden én het loslaten.",
    },
    "en": {
        "intro": "Sit or lie down comfortably. We will do the rhythm three times together.",
        "breathe": "Breathe in calmly.",
        "hold": "Tighten your pelvic floor and hold: five counts.",
        "relax": "Let go and relax completely: five counts.",
        "end": "Well done. This is how you practise holding and letting go.",
    },
}


def timeline():
    """[(phase, start second, length)] of the whole video."""
    parts, at = [("intro", 0, INTRO)], INTRO
    for _round in range(ROUNDS):
        for phase, length in (("breathe", BREATHE), ("hold", HOLD), ("relax", RELAX)):
            parts.append((phase, at, length))
            at += length
    parts.append(("end", at, 3))
    return parts


def lift(phase, share):
    """How far the pelvic floor is lifted, 0 (at rest) to 1 (tightened)."""
    ease = 0.5 - 0.5 * math.cos(math.pi * min(share * 3, 1))
    if phase == "hold":
        return ease
    if phase == "relax":
        return 1 - ease
    return 0.0


def frame(phase, share, round_number):
    image = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(image)
    up = lift(phase, share)
    # The pelvis: two soft bones left and right; between them the floor as a curve.
    draw.rounded_rectangle((120, 90, 200, 260), radius=36, fill=LINE)
    draw.rounded_rectangle((440, 90, 520, 260), radius=36, fill=LINE)
    sag = 70 - 55 * up  # how deep the curve hangs
    points = []
    for i in range(41):
        x = 200 + 240 * i / 40
        t = (i / 40) * 2 - 1
        points.append((x, 190 + sag * (1 - t * t)))
    colour = ACCENT if phase == "hold" else INK
    draw.line(points, fill=colour, width=10 + int(4 * up), joint="curve")
    # An arrow that says up (tightening) or down (letting go).
    if phase in ("hold", "relax"):
        y = 300
        if phase == "hold":
            draw.polygon([(320, y - 22), (304, y), (336, y)], fill=ACCENT)
        else:
            draw.polygon([(320, y + 12), (304, y - 10), (336, y - 10)], fill=INK)
    # The seconds of this phase as a bar, and the round as dots.
    draw.rounded_rectangle((170, 330, 470, 342), radius=6, fill=LINE)
    draw.rounded_rectangle(
        (170, 330, 170 + max(12, int(300 * share)), 342),
        radius=6,
        fill=ACCENT if phase == "hold" else SOFT,
    )
    for n in range(ROUNDS):
        x = 296 + n * 24
        fill = ACCENT if n < round_number else LINE
        draw.ellipse((x - 6, 34, x + 6, 46), fill=fill)
    return image


def vtt(language):
    words = CAPTIONS[language]
    lines = ["WEBVTT", ""]
    for number, (phase, start, length) in enumerate(timeline(), start=1):
        lines += [str(number), f"{stamp(start)} --> {stamp(start + length)}", words[phase], ""]
    return "\n".join(lines)


def stamp(seconds):
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def main():
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        sys.exit("ffmpeg is needed: apt-get install ffmpeg")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        count = 0
        round_number = 0
        for phase, _start, length in timeline():
            if phase == "breathe":
                round_number += 1
            frames = length * FPS
            for i in range(frames):
                frame(phase, i / frames, round_number).save(Path(tmp) / f"{count:05d}.png")
                count += 1
        target = OUT / f"{NAME}.mp4"
        subprocess.run(  # noqa: S603 — our own arguments, no input from anyone
            [
                ffmpeg, "-y", "-loglevel", "error", "-framerate", str(FPS),
                "-i", str(Path(tmp) / "%05d.png"), "-c:v", "libx264", "-preset", "slow",
                "-crf", "30", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                "-an", str(target),
            ],
            check=True,
        )  # fmt: skip
    for language in CAPTIONS:
        (OUT / f"{NAME}.{language}.vtt").write_text(vtt(language), encoding="utf-8")
    print(f"{target} ({target.stat().st_size / 1024:.0f} KB), captions nl and en")


if __name__ == "__main__":
    main()
