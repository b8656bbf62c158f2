"""Render a chart's geometry (`charts.Drawing`): as an SVG element for the HTML editions, as a PNG for Word.

A small, deterministic renderer for what the trend charts need (lines, round and diamond markers,
text), in place of matplotlib, whose import and per-figure machinery cost about ten times the
drawing itself. The geometry is in points (1/72 in), so the SVG says it as it is and the PNG
scales it to its resolution:

- SVG: plain elements, no ids (several charts share a page), no date or software in it.
- PNG, with Pillow: shapes drawn OVERSAMPLE times larger and reduced (so lines and markers are
  anti-aliased), axis-aligned lines snapped to whole pixels (so the axes and grid stay sharp), text
  drawn at the final size with FreeType's own anti-aliasing and hinting; the file written here (`png_bytes`)
  with nothing in it but the pixels and their resolution.

The font is DejaVu Sans (as before, and first in the SVG's font list), the system's (Debian's
fonts-dejavu-core and most Linux distributions install it) or matplotlib's copy where matplotlib
happens to be installed; else Verdana or Arial; else Pillow's built-in font. The PNG's bytes depend on
the font file, so compare them on one machine image (as the zip bytes already must be).
"""

from __future__ import annotations

import os

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

OVERSAMPLE = 3
FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"
SYSTEM_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf")
FONT_NAMES = ("DejaVuSans.ttf", "Verdana.ttf", "verdana.ttf", "Arial.ttf", "arial.ttf")
MEASURE_PX = 100  # the size text is measured at (then scaled): one font object for every size


# --------------------------------------------------------------------------- what can be drawn


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str  # "circle" (size: its diameter) or "diamond" (size: its diagonal)
    size: float
    fill: str
    edge: str = ""
    edge_width: float = 0.0  # the edge straddles the outline, as an SVG stroke does


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    size: float
    anchor: str = "start"  # "start", "middle" or "end" of the text at x
    vertical: bool = False  # read from bottom to top (an axis title)


@dataclass(frozen=True)
class Drawing:
    """Everything in points from the top left corner; shapes are painted in order, then the labels."""

    width: float
    height: float
    shapes: tuple[Line | Marker, ...]
    labels: tuple[Label, ...]


# --------------------------------------------------------------------------- font


def _font_files() -> list[str]:
    """Where DejaVu Sans may be, in order: the system's folders, then matplotlib's copy (located, not
    imported)."""
    import importlib.util

    candidates = list(SYSTEM_FONTS)
    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        candidates.append(str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"))
    return candidates


def font_identity() -> str:
    """The chart font file as the compile cache must know it (cache.code_digest): a chart's bytes depend
    on the font, so installing or replacing it must rebuild the charts. Its path, size and time, found
    without importing Pillow (an up-to-date compile does not)."""
    for candidate in _font_files():
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        return f"{candidate}:{info.st_size}:{info.st_mtime_ns}"
    return "no DejaVu Sans"


@lru_cache(maxsize=1)
def font_path() -> str | None:
    """The chart font's file: DejaVu Sans where the system has it (or matplotlib's copy, when installed:
    located, not imported), else a font Pillow finds by name in the system's font folders (Verdana,
    Arial: the SVG's next choices); None: Pillow's built-in font."""
    from PIL import ImageFont

    found = next((c for c in _font_files() if Path(c).is_file()), None)
    if found:
        return found
    for name in FONT_NAMES:
        try:
            ImageFont.truetype(name, 10)
        except OSError:
            continue
        return name
    return None


@lru_cache(maxsize=16)
def font(px: float):
    """The chart font at `px` pixels to the em (basic layout: the same glyph positions everywhere)."""
    from PIL import ImageFont

    path = font_path()
    if path is None:
        return ImageFont.load_default(px)
    return ImageFont.truetype(path, px, layout_engine=ImageFont.Layout.BASIC)


def text_width(text: str, size: float) -> float:
    """The advance width of `text` at `size` points, in points."""
    return font(MEASURE_PX).getlength(text) * size / MEASURE_PX


# --------------------------------------------------------------------------- SVG


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: short, and the same every time."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg_line(line: Line) -> str:
    d = "M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in line.points)
    return (f'<path d="{d}" fill="none" stroke="{line.colour}" stroke-width="{_n(line.width)}" '
            'stroke-linejoin="round" stroke-linecap="butt"/>')


def _diamond(x: float, y: float, half: float) -> list[tuple[float, float]]:
    return [(x, y - half), (x + half, y), (x, y + half), (x - half, y)]


def _svg_marker(m: Marker) -> str:
    edge = f' stroke="{m.edge}" stroke-width="{_n(m.edge_width)}"' if m.edge_width else ""
    if m.shape == "circle":
        return f'<circle cx="{_n(m.x)}" cy="{_n(m.y)}" r="{_n(m.size / 2)}" fill="{m.fill}"{edge}/>'
    d = "M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in _diamond(m.x, m.y, m.size / 2)) + " Z"
    return f'<path d="{d}" fill="{m.fill}"{edge} stroke-linejoin="miter"/>'


def _svg_label(label: Label) -> str:
    anchor = "" if label.anchor == "start" else f' text-anchor="{label.anchor}"'
    turn = f' transform="rotate(-90 {_n(label.x)} {_n(label.y)})"' if label.vertical else ""
    return (f'<text x="{_n(label.x)}" y="{_n(label.y)}" font-size="{_n(label.size)}"{anchor}{turn}>'
            f"{escape(label.text, quote=False)}</text>")


def svg(drawing: Drawing, title: str | None = None) -> str:
    """The drawing as an inline <svg> element (no XML declaration); `title` names it for assistive
    technology (role="img", aria-label and <title>), and its parts are then not read out one by one."""
    w, h = _n(drawing.width), _n(drawing.height)
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" version="1.1"'
    if title:
        head += f' role="img" aria-label="{escape(title)}"><title>{escape(title, quote=False)}</title>'
    else:
        head += ' aria-hidden="true">'
    out = [head, f'<rect width="{w}" height="{h}" fill="#ffffff"/>']
    out.extend(_svg_line(s) if isinstance(s, Line) else _svg_marker(s) for s in drawing.shapes)
    out.append(f'<g font-family="{escape(FONT_FAMILY)}" fill="#000000">')
    out.extend(_svg_label(label) for label in drawing.labels)
    out.append("</g></svg>")
    return "\n".join(out)


# --------------------------------------------------------------------------- PNG


def _straight(line: Line) -> bool:
    (x0, y0), (x1, y1) = line.points[0], line.points[-1]
    return len(line.points) == 2 and (x0 == x1 or y0 == y1)


def _crisp_box(line: Line, k: float) -> tuple[int, int, int, int]:
    """An axis-aligned line as a box of whole output pixels (then OVERSAMPLE times larger): sharp, as
    matplotlib snaps its axes and grid."""
    (x0, y0), (x1, y1) = line.points
    px = max(1, round(line.width * k))

    def across(c: float) -> tuple[int, int]:  # the band of `px` whole pixels centred nearest to c
        start = round(c * k - px / 2)
        return start, start + px

    if y0 == y1:
        a, b = sorted((round(x0 * k), round(x1 * k)))
        top, bottom = across(y0)
        box = (a, top, max(b, a + 1), bottom)
    else:
        a, b = sorted((round(y0 * k), round(y1 * k)))
        left, right = across(x0)
        box = (left, a, right, max(b, a + 1))
    s = OVERSAMPLE
    return box[0] * s, box[1] * s, box[2] * s - 1, box[3] * s - 1


def _draw_shapes(draw, drawing: Drawing, k: float) -> None:
    s = k * OVERSAMPLE
    for shape in drawing.shapes:
        if isinstance(shape, Line):
            if _straight(shape):
                draw.rectangle(_crisp_box(shape, k), fill=shape.colour)
                continue
            points = [(x * s, y * s) for x, y in shape.points]
            width = max(1, round(shape.width * s))
            draw.line(points, fill=shape.colour, width=width, joint="curve")
        elif shape.shape == "circle":
            r = (shape.size / 2 + shape.edge_width / 2) * s
            draw.ellipse((shape.x * s - r, shape.y * s - r, shape.x * s + r, shape.y * s + r), fill=shape.edge or shape.fill)
            if shape.edge_width:
                r -= shape.edge_width * s
                draw.ellipse((shape.x * s - r, shape.y * s - r, shape.x * s + r, shape.y * s + r), fill=shape.fill)
        else:
            # the edge straddles the outline, as in SVG: an outer diamond in the edge colour, the fill inside;
            # moving a diamond's sides out by w/2 moves its corners out by w/2 · √2 along the diagonals
            half = shape.size / 2
            outer = (half + shape.edge_width / 2 * 1.4142) * s
            draw.polygon(_diamond(shape.x * s, shape.y * s, outer), fill=shape.edge or shape.fill)
            if shape.edge_width:
                inner = (half - shape.edge_width / 2 * 1.4142) * s
                draw.polygon(_diamond(shape.x * s, shape.y * s, inner), fill=shape.fill)


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def _draw_label(image, label: Label, k: float) -> None:
    from PIL import Image, ImageDraw

    face = font(label.size * k)
    anchor = _ANCHORS[label.anchor]
    x, y = label.x * k, label.y * k
    if not label.vertical:
        ImageDraw.Draw(image).text((x, y), label.text, font=face, fill="#000000", anchor=anchor)
        return
    # vertical text: drawn level in a mask of its own, turned a quarter anticlockwise, pasted in black
    left, top, right, bottom = (round(v) for v in face.getbbox(label.text, anchor=anchor))
    mask = Image.new("L", (right - left + 2, bottom - top + 2), 0)
    ImageDraw.Draw(mask).text((1 - left, 1 - top), label.text, font=face, fill=255, anchor=anchor)
    turned = mask.transpose(Image.Transpose.ROTATE_90)
    # the anchor point, (1 - left, 1 - top) in the level mask, is at (1 - top, width - 1 + left) once turned
    ax, ay = 1 - top, mask.width - (1 - left)
    image.paste((0, 0, 0), (round(x - ax), round(y - ay)), turned)


def png(drawing: Drawing, dpi: int) -> bytes:
    """The drawing as a PNG at `dpi` (its pHYs says so, so Word sizes it right), with no metadata."""
    from PIL import Image, ImageDraw

    k = dpi / 72
    size = (round(drawing.width * k), round(drawing.height * k))
    big = Image.new("RGB", (size[0] * OVERSAMPLE, size[1] * OVERSAMPLE), "#ffffff")
    _draw_shapes(ImageDraw.Draw(big), drawing, k)
    image = big.reduce(OVERSAMPLE)
    for label in drawing.labels:
        _draw_label(image, label, k)
    return png_bytes(image.tobytes(), image.width, image.height, dpi)


def png_bytes(rgb: bytes, width: int, height: int, dpi: int) -> bytes:
    """8-bit RGB pixels as a PNG: no row filter, zlib level 6, the resolution (pHYs) and nothing else.

    Written here rather than by Pillow, whose encoder tries every row filter on every row: that search
    took three quarters of a chart's time, and for these mostly white pictures it does not even make
    the file smaller (about 7.5 KB a chart either way)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    stride = width * 3
    rows = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))  # 8 bits, RGB, no interlace
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))          # pixels per metre
            + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))
