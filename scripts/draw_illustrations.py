"""Draw the demo course's illustrations into therapy/demo/content/images/.

    python scripts/draw_illustrations.py [NAME ...]

Calm, simple drawings made with Pillow primitives only. They hold no words, so one picture
serves every language: what a drawing shows is said in its image's alt text and caption, which
are translated. The PNG files are committed, and `manage.py seed_demo` stores those files; the
app never imports this script. Run it again only to change a drawing, then commit the new PNG.
With names (e.g. `bridge`) it draws only those.

Everything is drawn at twice the final size and scaled down once, because Pillow's shapes have
no anti-aliasing of their own. There is no randomness, so the same name always gives the same
PNG bytes (with the same Pillow version).
"""

import argparse
import io
import math
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "therapy" / "demo" / "content" / "images"
WIDTH, HEIGHT = 1600, 1000
SUPERSAMPLE = 2

BACKGROUND = "#f6f1ea"
TEAL = "#2f6f6a"
TERRACOTTA = "#c0714f"
MUTED = "#a59c91"
SAND = "#e8dccb"
SAND_DARK = "#cdb89c"
BONE = "#efe2cf"
BONE_EDGE = "#c8ad8a"
MAT = "#d9e5e1"
WOOD = "#b99c7e"
SUN = "#edc8b2"
HILL = "#e3ead9"
HILL_FAR = "#ece5d6"


def _mix(color, other, amount):
    """`color` moved `amount` (0–1) of the way towards `other`."""
    a, b = ImageColor.getrgb(color)[:3], ImageColor.getrgb(other)[:3]
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def _direction(angle):
    """A unit vector for an angle in degrees, clockwise from straight up (0 = up, 90 = right)."""
    radians = math.radians(angle)
    return math.sin(radians), -math.cos(radians)


def _chain(start, segments):
    points = [start]
    for angle, length in segments:
        dx, dy = _direction(angle)
        x, y = points[-1]
        points.append((x + dx * length, y + dy * length))
    return points


class Canvas:
    def __init__(self):
        self.image = Image.new("RGB", (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _xy(point):
        return (point[0] * SUPERSAMPLE, point[1] * SUPERSAMPLE)

    def disc(self, center, radius, fill):
        x, y = center
        box = [(x - radius) * SUPERSAMPLE, (y - radius) * SUPERSAMPLE]
        box += [(x + radius) * SUPERSAMPLE, (y + radius) * SUPERSAMPLE]
        self.draw.ellipse(box, fill=fill)

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.draw.ellipse(
            [c * SUPERSAMPLE for c in box], fill=fill, outline=outline, width=width * SUPERSAMPLE
        )

    def stroke(self, points, width, fill):
        """A thick line through the points with round ends and joints, like a felt-tip pen."""
        # Pillow's wide lines leave small notches at the joints; a dense row of discs does not.
        step = max(1.0, width * 0.12)
        self.disc(points[0], width / 2, fill)
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            count = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
            for i in range(1, count + 1):
                t = i / count
                self.disc((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t), width / 2, fill)

    def polygon(self, points, fill, outline=None, width=0):
        self.draw.polygon(
            [self._xy(p) for p in points], fill=fill, outline=outline, width=width * SUPERSAMPLE
        )

    def rounded_rectangle(self, box, radius, fill, outline=None, width=0):
        self.draw.rounded_rectangle(
            [c * SUPERSAMPLE for c in box],
            radius=radius * SUPERSAMPLE,
            fill=fill,
            outline=outline,
            width=width * SUPERSAMPLE,
        )

    def arrow(self, start, end, width, fill, head=34):
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        base = (end[0] - math.cos(angle) * head, end[1] - math.sin(angle) * head)
        self.stroke([start, base], width, fill)
        side = (-math.sin(angle) * head * 0.7, math.cos(angle) * head * 0.7)
        self.polygon(
            [end, (base[0] + side[0], base[1] + side[1]), (base[0] - side[0], base[1] - side[1])],
            fill,
        )

    def ground_shadow(self, center_x, ground_y, half_width):
        self.ellipse(
            (center_x - half_width, ground_y - 14, center_x + half_width, ground_y + 14), SAND
        )

    def png_bytes(self):
        final = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        final.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


@dataclass(frozen=True)
class Pose:
    """A side view facing right. Angles in degrees clockwise from straight up."""

    spine: tuple = (0, 0, 0)  # three segments from the pelvis up to the shoulders
    neck: float = 0
    thigh: float = 180
    shin: float = 180
    foot: float = 90
    arm: float = 180
    forearm: float = 180
    # The limbs on the far side; None means "the same as the near side".
    far_thigh: float | None = None
    far_shin: float | None = None
    far_foot: float | None = None
    far_arm: float | None = None
    far_forearm: float | None = None


# Lengths and widths of a figure at scale 1, in pixels of the final image.
SPINE_SEGMENT, NECK, HEAD = 82, 44, 48
THIGH, SHIN, FOOT = 188, 182, 58
UPPER_ARM, FOREARM = 138, 128
TORSO_W, PELVIS_R, THIGH_W, SHIN_W, FOOT_W, ARM_W, NECK_W = 94, 52, 54, 44, 30, 32, 46


def _far(value, near):
    return near if value is None else value


@dataclass(frozen=True)
class Figure:
    pose: Pose
    scale: float
    hip: tuple
    spine: list
    head: tuple
    leg: list
    far_leg: list
    arm: list
    far_arm: list

    @classmethod
    def build(cls, pose, hip=(0.0, 0.0), scale=1.0):
        s = scale
        spine = _chain(hip, [(a, SPINE_SEGMENT * s) for a in pose.spine])
        shoulder = spine[-1]

        def leg(thigh, shin, foot):
            return _chain(hip, [(thigh, THIGH * s), (shin, SHIN * s), (foot, FOOT * s)])

        def arm(upper, lower):
            return _chain(shoulder, [(upper, UPPER_ARM * s), (lower, FOREARM * s)])

        return cls(
            pose=pose,
            scale=s,
            hip=hip,
            spine=spine,
            head=_chain(shoulder, [(pose.neck, (NECK + HEAD) * s)])[-1],
            leg=leg(pose.thigh, pose.shin, pose.foot),
            far_leg=leg(
                _far(pose.far_thigh, pose.thigh),
                _far(pose.far_shin, pose.shin),
                _far(pose.far_foot, pose.foot),
            ),
            arm=arm(pose.arm, pose.forearm),
            far_arm=arm(_far(pose.far_arm, pose.arm), _far(pose.far_forearm, pose.forearm)),
        )

    @classmethod
    def standing_on(cls, pose, ankle, scale=1.0):
        """The figure moved so that its near ankle is at `ankle`."""
        figure = cls.build(pose, scale=scale)
        current = figure.leg[2]
        return figure.moved(ankle[0] - current[0], ankle[1] - current[1])

    def moved(self, dx, dy):
        def move(point):
            return (point[0] + dx, point[1] + dy)

        return replace(
            self,
            hip=move(self.hip),
            spine=[move(p) for p in self.spine],
            head=move(self.head),
            leg=[move(p) for p in self.leg],
            far_leg=[move(p) for p in self.far_leg],
            arm=[move(p) for p in self.arm],
            far_arm=[move(p) for p in self.far_arm],
        )

    @property
    def shoulder(self):
        return self.spine[-1]

    @property
    def knee(self):
        return self.leg[1]

    @property
    def hand(self):
        return self.arm[-1]

    def draw(self, canvas, color, pelvic_floor=False):
        """Far limbs lighter and behind, then the body, then the near limbs on top."""
        s = self.scale
        far = _mix(color, BACKGROUND, 0.4)
        canvas.stroke(self.far_arm, ARM_W * s, far)
        canvas.stroke(self.far_leg[:3], THIGH_W * s * 0.9, far)
        canvas.stroke(self.far_leg[2:], FOOT_W * s, far)

        canvas.stroke(self.spine, TORSO_W * s, color)
        canvas.disc(self.hip, PELVIS_R * s, color)
        neck_top = _chain(self.shoulder, [(self.pose.neck, (NECK + HEAD * 0.5) * s)])[-1]
        canvas.stroke([self.shoulder, neck_top], NECK_W * s, color)
        # A bun at the back of the head, so the figure reads as a woman without needing a face.
        back = _direction(self.pose.neck - 120)
        bun = (self.head[0] + back[0] * HEAD * s * 0.95, self.head[1] + back[1] * HEAD * s * 0.95)
        canvas.disc(bun, HEAD * s * 0.42, _mix(color, "#000000", 0.15))
        canvas.disc(self.head, HEAD * s, color)

        canvas.stroke(self.leg[:2], THIGH_W * s, color)
        canvas.stroke(self.leg[1:3], SHIN_W * s, color)
        canvas.stroke(self.leg[2:], FOOT_W * s, color)
        # A slightly darker near arm, so that it stays visible in front of the body.
        canvas.stroke(self.arm, ARM_W * s, _mix(color, "#000000", 0.16))
        if pelvic_floor:
            self._draw_pelvic_floor(canvas)

    def _draw_pelvic_floor(self, canvas):
        """A small terracotta hammock under the pelvis: the same sign as in the pelvis drawing."""
        s = self.scale
        up = _direction(self.pose.spine[0])
        across = (-up[1], up[0])
        base = (self.hip[0] - up[0] * PELVIS_R * s * 0.5, self.hip[1] - up[1] * PELVIS_R * s * 0.5)
        points = []
        for i in range(9):
            t = i / 8 * 2 - 1
            sag = (1 - t * t) * 10 * s
            offset = t * PELVIS_R * s * 0.62
            points.append(
                (
                    base[0] + across[0] * offset - up[0] * sag,
                    base[1] + across[1] * offset - up[1] * sag,
                )
            )
        canvas.stroke(points, 12 * s, TERRACOTTA)


def _ankle_height(scale):
    return FOOT_W * scale / 2


def _knee_ring(canvas, figure, color):
    x, y = figure.knee
    r = 48 * figure.scale
    canvas.ellipse((x - r, y - r, x + r, y + r), outline=color, width=6)


def _chair(canvas, front_x, seat_y, ground_y, depth=240, back_height=300):
    """A simple wooden chair seen from the side, facing right, its seat's front edge at front_x."""
    back_x = front_x - depth
    canvas.rounded_rectangle((back_x - 8, seat_y, front_x + 8, seat_y + 30), 12, WOOD)
    for x in (back_x + 14, front_x - 14):
        canvas.stroke([(x, seat_y + 20), (x, ground_y)], 20, WOOD)
    canvas.stroke([(back_x + 10, seat_y), (back_x - 12, seat_y - back_height)], 22, WOOD)


def _floor(canvas, ground_y):
    canvas.rounded_rectangle((60, ground_y, WIDTH - 60, ground_y + 12), 6, SAND_DARK)


def _check_badge(canvas, center):
    """Marks the way to do it."""
    x, y = center
    canvas.disc(center, 34, TEAL)
    canvas.stroke([(x - 15, y + 1), (x - 4, y + 13), (x + 16, y - 11)], 9, BACKGROUND)


def _cross_badge(canvas, center):
    """Marks a way not to do it."""
    x, y = center
    canvas.disc(center, 34, TERRACOTTA)
    canvas.stroke([(x - 12, y - 12), (x + 12, y + 12)], 9, BACKGROUND)
    canvas.stroke([(x - 12, y + 12), (x + 12, y - 12)], 9, BACKGROUND)


def _badge(canvas, center, good):
    (_check_badge if good else _cross_badge)(canvas, center)


# --- the scenes -------------------------------------------------------------------------------

SLACK_STANDING = Pose(spine=(-16, 10, 34), neck=46, thigh=193, shin=173, arm=190, forearm=184)
TENSE_STANDING = Pose(spine=(30, -8, -24), neck=-6, thigh=181, shin=179, arm=196, forearm=190)
BALANCED_STANDING = Pose(spine=(3, 0, -2), neck=6, thigh=171, shin=189, arm=182, forearm=174)
LOCKED_KNEES = Pose(spine=(-16, 12, 14), neck=24, thigh=194, shin=172, arm=188, forearm=182)


def draw_two_patterns():
    canvas = Canvas()
    ground = 850
    scale = 0.8
    for x, pose, good in (
        (330, SLACK_STANDING, False),
        (800, TENSE_STANDING, False),
        (1270, BALANCED_STANDING, True),
    ):
        canvas.ground_shadow(x + 15, ground, 120)
        figure = Figure.standing_on(pose, (x, ground - _ankle_height(scale)), scale)
        figure.draw(canvas, TEAL if good else MUTED)
        _badge(canvas, (x + 130, 170), good)
    return canvas


def _ellipse_points(center, rx, ry, tilt, count=90):
    c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))
    points = []
    for i in range(count):
        t = 2 * math.pi * i / count
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((center[0] + x * c - y * s, center[1] + x * s + y * c))
    return points


def draw_pelvis_hammock():
    canvas = Canvas()
    cx = 800

    # Back to front: thigh bones, the lower ring, the wings over the ring's upper ends.
    for side in (-1, 1):
        bone = [(cx + side * 300, 600), (cx + side * 395, 655), (cx + side * 345, 1040)]
        canvas.stroke(bone, 74, BONE_EDGE)
        canvas.stroke(bone, 60, BONE)
        canvas.disc((cx + side * 300, 600), 58, BONE_EDGE)
        canvas.disc((cx + side * 300, 600), 50, BONE)

    ring = [(cx - 250, 430), (cx - 262, 595), (cx - 170, 690), (cx, 725)]
    ring += [(cx + 170, 690), (cx + 262, 595), (cx + 250, 430)]
    canvas.stroke(ring, 92, BONE_EDGE)
    canvas.stroke(ring, 78, BONE)

    for side in (-1, 1):
        wing = _ellipse_points((cx + side * 225, 410), 225, 140, side * 28)
        canvas.polygon(wing, BONE, BONE_EDGE, 7)

    sacrum = [(cx - 95, 300), (cx + 95, 300), (cx + 72, 460), (cx, 560), (cx - 72, 460)]
    canvas.polygon(sacrum, BONE, BONE_EDGE, 7)

    # The pelvic floor, slung like a hammock between the bones.
    top, bottom = [], []
    for i in range(41):
        t = i / 40 * 2 - 1
        x = cx + t * 222
        top.append((x, 600 + (1 - t * t) * 42))
        bottom.append((x, 620 + (1 - t * t) * 84))
    canvas.polygon(top + bottom[::-1], TERRACOTTA)
    canvas.stroke(top, 8, _mix(TERRACOTTA, "#ffffff", 0.3))

    # Squeezing lifts it inwards and upwards.
    for x in (cx - 110, cx, cx + 110):
        canvas.arrow((x, 880), (x, 770), 14, TEAL, head=30)
    return canvas


def draw_sitting():
    canvas = Canvas()
    ground = 860
    _floor(canvas, ground)
    scale = 0.85
    ankle_y = ground - _ankle_height(scale)

    # Slid forward on the seat, pelvis rolled back, round back, head poking forward.
    slumped = Pose(spine=(-34, -4, 30), neck=48, thigh=100, shin=158, arm=150, forearm=100)
    figure = Figure.standing_on(slumped, (560, ankle_y), scale)
    _chair(canvas, figure.hip[0] + 95, figure.hip[1] + PELVIS_R * scale * 0.8, ground)
    figure.draw(canvas, MUTED)
    _cross_badge(canvas, (680, 200))

    upright = Pose(spine=(2, 0, -2), neck=6, thigh=93, shin=180, arm=170, forearm=100)
    figure = Figure.standing_on(upright, (1230, ankle_y), scale)
    _chair(canvas, figure.hip[0] + 175, figure.hip[1] + PELVIS_R * scale, ground)
    figure.draw(canvas, TEAL, pelvic_floor=True)
    _check_badge(canvas, (1350, 200))
    return canvas


def draw_standing():
    canvas = Canvas()
    ground = 870
    scale = 0.9
    for x, pose, good in ((520, LOCKED_KNEES, False), (1080, BALANCED_STANDING, True)):
        canvas.ground_shadow(x + 15, ground, 140)
        figure = Figure.standing_on(pose, (x, ground - _ankle_height(scale)), scale)
        figure.draw(canvas, TEAL if good else MUTED)
        _knee_ring(canvas, figure, TEAL if good else TERRACOTTA)
        _badge(canvas, (x + 150, 150), good)
    return canvas


def draw_walking():
    canvas = Canvas()
    canvas.disc((1290, 230), 110, SUN)
    canvas.ellipse((-300, 560, 900, 1300), HILL_FAR)
    canvas.ellipse((600, 600, 2000, 1400), HILL)
    canvas.polygon([(600, 1000), (1040, 1000), (860, 760), (790, 760)], SAND)
    # A couple of round trees, kept pale so that the walker stays the subject.
    for x, y, r in ((260, 560, 80), (1420, 590, 95)):
        canvas.stroke([(x, y + r * 0.6), (x, y + r * 1.9)], 22, WOOD)
        canvas.disc((x, y), r, _mix(TEAL, BACKGROUND, 0.65))

    stride = Pose(
        spine=(6, 3, 2),
        neck=10,
        thigh=158,
        shin=174,
        foot=80,
        far_thigh=200,
        far_shin=214,
        far_foot=125,
        arm=206,
        forearm=190,
        far_arm=156,
        far_forearm=128,
    )
    scale = 0.8
    ground = 900
    canvas.ground_shadow(820, ground, 170)
    Figure.standing_on(stride, (900, ground - _ankle_height(scale) - 8), scale).draw(canvas, TEAL)
    return canvas


def draw_bending():
    canvas = Canvas()
    ground = 860
    _floor(canvas, ground)
    scale = 0.82
    box_color = _mix(TERRACOTTA, BACKGROUND, 0.2)

    rounded = Pose(spine=(62, 92, 120), neck=142, thigh=184, shin=180, arm=170, forearm=176)
    figure = Figure.standing_on(rounded, (400, ground - _ankle_height(scale)), scale)
    x, y = figure.hand
    canvas.rounded_rectangle((x - 70, y + 10, x + 70, ground), 10, box_color)
    figure.draw(canvas, MUTED)
    _cross_badge(canvas, (680, 260))

    hinge = Pose(
        spine=(54, 54, 56),
        neck=52,
        thigh=112,
        shin=204,
        arm=160,
        forearm=172,
        far_arm=154,
        far_forearm=168,
    )
    figure = Figure.standing_on(hinge, (1040, ground - _ankle_height(scale)), scale)
    x, y = figure.hand
    canvas.rounded_rectangle((x - 62, y + 10, x + 78, ground), 10, box_color)
    figure.draw(canvas, TEAL)
    _check_badge(canvas, (1320, 260))
    return canvas


def draw_bridge():
    canvas = Canvas()
    mat_top = 760
    canvas.rounded_rectangle((170, mat_top, 1430, mat_top + 40), 20, MAT)
    scale = 1.15
    bridge = Pose(spine=(248, 250, 254), neck=266, thigh=66, shin=172, foot=90, arm=102, forearm=94)
    figure = Figure.standing_on(bridge, (1200, mat_top - _ankle_height(scale)), scale)
    figure.draw(canvas, TEAL)
    # A dashed line above the body: knees, hips and shoulders in one straight line.
    knee, shoulder = figure.knee, figure.shoulder
    dashes = 11
    for i in range(0, dashes, 2):
        a, b = i / dashes, (i + 1) / dashes
        canvas.stroke(
            [
                (knee[0] + (shoulder[0] - knee[0]) * a, knee[1] + (shoulder[1] - knee[1]) * a - 75),
                (knee[0] + (shoulder[0] - knee[0]) * b, knee[1] + (shoulder[1] - knee[1]) * b - 75),
            ],
            8,
            TERRACOTTA,
        )
    return canvas


def draw_squat():
    canvas = Canvas()
    ground = 860
    _floor(canvas, ground)
    scale = 0.88
    squat = Pose(
        spine=(38, 34, 30),
        neck=28,
        thigh=100,
        shin=200,
        arm=96,
        forearm=92,
        far_arm=100,
        far_forearm=96,
    )
    figure = Figure.standing_on(squat, (910, ground - _ankle_height(scale)), scale)
    seat_y = figure.hip[1] + PELVIS_R * scale + 6
    _chair(canvas, figure.hip[0] + 20, seat_y, ground, depth=250, back_height=330)
    figure.draw(canvas, TEAL)
    return canvas


DRAWINGS = {
    "two-patterns": draw_two_patterns,
    "pelvis-hammock": draw_pelvis_hammock,
    "sitting": draw_sitting,
    "standing": draw_standing,
    "walking": draw_walking,
    "bending": draw_bending,
    "bridge": draw_bridge,
    "squat": draw_squat,
}


def render(name):
    """PNG bytes of the named drawing, WIDTH × HEIGHT."""
    return DRAWINGS[name]().png_bytes()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(DRAWINGS)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - DRAWINGS.keys())
    if unknown:
        parser.error(f"no drawing called {', '.join(unknown)}")
    OUT.mkdir(parents=True, exist_ok=True)
    for name in args.names or DRAWINGS:
        path = OUT / f"{name}.png"
        path.write_bytes(render(name))
        print(f"{path.relative_to(OUT.parents[3])}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
