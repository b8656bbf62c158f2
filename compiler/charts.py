"""Small trend charts of an indicator, its targets marked: PNG for Word, inline SVG for HTML editions.

One geometry (`drawing`: the values as a line with round markers, the targets as open diamonds, a
y axis of round steps with its unit, a tick and label per period, a legend placed where it covers
the fewest points) rendered twice by `chart_render`: as SVG, and as a PNG with Pillow. No matplotlib:
its import and per-figure work cost a compile about ten times what drawing the charts this way
does. Everything is plain arithmetic on the data and a fixed font, so the same compilation gives the
same bytes. Only indicators with MIN_POINTS values or more get a chart; each is drawn once per
compilation (`Compilation.charts`) and shared by every document that shows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .chart_render import Drawing, Label, Line, Marker, png, svg, text_width
from .model import Indicator
from .progress import IndicatorProgress
from .values import period_sort_key

MIN_POINTS = 3
WIDTH_IN, HEIGHT_IN, DPI = 4.2, 2.2, 120
EMU_PER_INCH = 914400
WIDTH, HEIGHT = WIDTH_IN * 72, HEIGHT_IN * 72  # points
LINE, TARGET = "#1d70b8", "#d4351c"  # GOV.UK blue and red: distinct for most colour vision, and shapes differ too
INK, GRID = "#000000", "#dddddd"

# the plot area's edges (fixed, as fractions of the page, unless the y labels need more room on the left)
LEFT, RIGHT, TOP, BOTTOM = 0.15 * WIDTH, 0.95 * WIDTH, 0.04 * HEIGHT, 0.86 * HEIGHT
FONT, SMALL = 7.0, 6.5     # y labels and unit; period labels and legend (points)
TICK, PAD, TITLE_PAD = 3.5, 3.5, 4.0  # tick length, tick to label, labels to the unit
RISE, DROP = 0.74, 0.24    # DejaVu Sans: digits' height above the baseline, descent below it (ems)
LEADING = 1.2             # line pitch of a period label in two lines (ems)
DATA_MARGIN = 0.05         # room beyond the data on each side, as a share of its span
MAX_TICKS = 7              # y ticks: about one per 20 points of height
STEPS = (1.0, 2.0, 5.0)
UNIT_CHARS = 24


def has_chart(prog: IndicatorProgress | None) -> bool:
    return prog is not None and len(prog.series) >= MIN_POINTS


# --------------------------------------------------------------------------- scales


def y_scale(numbers: list[float]) -> tuple[float, float, list[float], int]:
    """The y axis: its limits (the data and a margin), its ticks (round steps within the limits) and the
    decimals a tick label needs."""
    lo, hi = min(numbers), max(numbers)
    if hi == lo:
        lo, hi = lo - (abs(lo) * 0.05 or 1.0), hi + (abs(hi) * 0.05 or 1.0)
    span = hi - lo
    lo, hi = lo - span * DATA_MARGIN, hi + span * DATA_MARGIN
    step = y_step(lo, hi)
    return lo, hi, _ticks(lo, hi, step), decimals(step)


def y_step(lo: float, hi: float) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten that puts at most MAX_TICKS ticks between lo and hi."""
    power = 10.0 ** (math.floor(math.log10(hi - lo)) - 2)
    while True:
        for m in STEPS:
            step = m * power
            if math.floor(hi / step + 1e-9) - math.ceil(lo / step - 1e-9) + 1 <= MAX_TICKS:
                return step
        power *= 10


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def decimals(step: float) -> int:
    """Decimal places that show every multiple of `step` exactly (2.5 -> 1, 0.25 -> 2, 500 -> 0)."""
    places = 0
    while places < 12 and abs(round(step, places) - step) > step * 1e-9:
        places += 1
    return places


def tick_text(value: float, places: int) -> str:
    """A tick label: thousands separated, a true minus sign."""
    text = f"{0.0 if abs(value) < 1e-12 else value:,.{places}f}"
    return text.replace("-", "\u2212")


def every_nth(labels: list[tuple[str, ...]], spacing: float) -> int:
    """Label every n-th period (counting back from the latest) so no two labels touch."""
    widest = max((text_width(line, SMALL) for lines in labels for line in lines), default=0.0)
    n = 1
    while spacing > 0 and widest + 3.0 > spacing * n and n < len(labels):
        n += 1
    return n


def period_labels(periods: list[str], spacing: float) -> tuple[list[tuple[str, ...]], int]:
    """Each period's label, in one line or, when one line each would touch, in two (`Q1` over `2025/26`);
    and n: label every n-th period, when even that is not enough."""
    one = [(p,) for p in periods]
    if every_nth(one, spacing) == 1:
        return one, 1
    two = [_two_lines(p) for p in periods]
    return two, every_nth(two, spacing)


def _two_lines(text: str) -> tuple[str, ...]:
    """The text broken at the space nearest its middle (unbroken if it has none)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return (text,)
    cut = min(spaces, key=lambda i: (abs(len(text) - 2 * i), i))
    return text[:cut].strip(), text[cut + 1:].strip()


# --------------------------------------------------------------------------- the legend


def _segment_meets_box(a: tuple[float, float], b: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether the segment a-b crosses or touches the box (left, top, right, bottom): clipped Liang-Barsky."""
    x0, y0, x1, y1 = box
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def legend_place(size: tuple[float, float], plot: tuple[float, float, float, float], points: list[tuple[float, float]],
                 line: list[tuple[float, float]]) -> tuple[float, float]:
    """Where the legend goes (its top left corner): of nine places inside the plot, the first that covers
    the fewest points and crosses the fewest segments of the line (matplotlib's "best", in its order)."""
    w, h = size
    left, top, right, bottom = plot
    pad = 0.5 * SMALL
    xs = {"l": left + pad, "c": (left + right - w) / 2, "r": right - pad - w}
    ys = {"u": top + pad, "c": (top + bottom - h) / 2, "l": bottom - pad - h}
    order = ("ur", "ul", "ll", "lr", "cr", "cl", "lc", "uc", "cc")
    best, where = None, (xs["r"], ys["u"])
    for code in order:
        x, y = xs[code[1]], ys[code[0]]
        clear = (x - 8.0, y - 8.0, x + w + 8.0, y + h + 8.0)  # a marker, and a gap the eye sees
        bad = sum(clear[0] <= px <= clear[2] and clear[1] <= py <= clear[3] for px, py in points)
        box = (x - 2.0, y - 2.0, x + w + 2.0, y + h + 2.0)
        bad += sum(_segment_meets_box(a, b, box) for a, b in zip(line, line[1:]))
        if best is None or bad < best:
            best, where = bad, (x, y)
        if bad == 0:
            break
    return where


def legend(entries: list[str], plot, points, line) -> tuple[list[Line | Marker], list[Label]]:
    """'Value' (the line and its marker) and, when there are targets, 'Target' (the diamond), frameless."""
    border, handle, gap, row = 0.4 * SMALL, 2.0 * SMALL, 0.8 * SMALL, 1.5 * SMALL
    width = 2 * border + handle + gap + max(text_width(e, SMALL) for e in entries)
    height = 2 * border + SMALL * len(entries) + 0.5 * SMALL * (len(entries) - 1)
    x, y = legend_place((width, height), plot, points, line)
    shapes: list[Line | Marker] = []
    labels = []
    for n, entry in enumerate(entries):
        middle = y + border + SMALL / 2 + n * row
        h0, h1 = x + border, x + border + handle
        if entry == "Value":
            shapes += [Line(((h0, middle), (h1, middle)), LINE, 1.6), _value_marker(((h0 + h1) / 2, middle))]
        else:
            shapes.append(_target_marker(((h0 + h1) / 2, middle)))
        labels.append(Label(h1 + gap, middle + RISE / 2 * SMALL, entry, SMALL))
    return shapes, labels


def _value_marker(at: tuple[float, float]) -> Marker:
    return Marker(at[0], at[1], "circle", 4.5, LINE)


def _target_marker(at: tuple[float, float]) -> Marker:
    return Marker(at[0], at[1], "diamond", 5 * math.sqrt(2), "#ffffff", TARGET, 1.4)


# --------------------------------------------------------------------------- the chart


def drawing(ind: Indicator, prog: IndicatorProgress) -> Drawing:
    """The chart's geometry, in points: what the SVG and the PNG both draw."""
    targets = [(t.period, t.value.number) for t in ind.targets if t.value.number is not None and t.period]
    values = [(v.period, v.value.number) for v in prog.series]
    periods = sorted({p for p, _ in values} | {p for p, _ in targets}, key=period_sort_key)
    lo, hi, ticks, places = y_scale([n for _, n in values + targets])
    y_labels = [tick_text(t, places) for t in ticks]
    unit = (ind.unit or "").strip()
    unit = unit if len(unit) <= UNIT_CHARS else unit[:UNIT_CHARS - 1] + "…"
    widest = max(text_width(t, FONT) for t in y_labels)
    left = max(LEFT, 3.0 + ((RISE + DROP) * FONT + TITLE_PAD if unit else 0.0) + widest + TICK + PAD)
    right = _right_edge(left, len(periods), text_width(periods[-1], SMALL))
    span = max(len(periods) - 1, 1)
    margin = DATA_MARGIN * span if len(periods) > 1 else 0.5

    def x_of(i: int) -> float:
        return left + (i + margin) / (span + 2 * margin) * (right - left)

    def y_of(v: float) -> float:
        return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP)

    at = {p: x_of(i) for i, p in enumerate(periods)}
    line = [(at[p], y_of(v)) for p, v in values]
    marks = [(at[p], y_of(v)) for p, v in targets]
    shapes: list[Line | Marker] = [Line(((left, y_of(t)), (right, y_of(t))), GRID, 0.6) for t in ticks]
    shapes += [Line(((left, TOP), (left, BOTTOM + 0.4)), INK, 0.8), Line(((left - 0.4, BOTTOM), (right, BOTTOM)), INK, 0.8)]
    shapes += [Line(((at[p], BOTTOM), (at[p], BOTTOM + TICK)), INK, 0.8) for p in periods]
    shapes += [Line(((left - TICK, y_of(t)), (left, y_of(t))), INK, 0.8) for t in ticks]
    shapes.append(Line(tuple(line), LINE, 1.6))
    shapes += [_value_marker(p) for p in line] + [_target_marker(p) for p in marks]
    labels = [Label(left - TICK - PAD, y_of(t) + RISE / 2 * FONT, text, FONT, "end") for t, text in zip(ticks, y_labels)]
    texts, nth = period_labels(periods, x_of(1) - x_of(0))
    labels += [Label(at[p], BOTTOM + TICK + PAD + RISE * SMALL + k * LEADING * SMALL, line, SMALL, "middle")
               for i, (p, lines) in enumerate(zip(periods, texts)) if (len(periods) - 1 - i) % nth == 0
               for k, line in enumerate(lines)]
    if unit:
        labels.append(Label(left - TICK - PAD - widest - TITLE_PAD - DROP * FONT, (TOP + BOTTOM) / 2, unit, FONT,
                            "middle", vertical=True))
    key_shapes, key_labels = legend(["Value", "Target"] if targets else ["Value"], (left, TOP, right, BOTTOM),
                                    line + marks, line)
    return Drawing(WIDTH, HEIGHT, tuple(shapes + key_shapes), tuple(labels + key_labels))


def _right_edge(left: float, count: int, last_label: float) -> float:
    """The plot's right edge: RIGHT, or less when the latest period's label would run off the page."""
    if count < 2:
        return RIGHT
    share = DATA_MARGIN / (1 + 2 * DATA_MARGIN)  # the last tick is this share of the plot in from its edge
    fits = (WIDTH - 1.0 - last_label / 2 - left * share) / (1 - share)
    return min(RIGHT, fits)


def chart_png(ind: Indicator, prog: IndicatorProgress) -> bytes:
    return png(drawing(ind, prog), DPI)


def chart_svg(ind: Indicator, prog: IndicatorProgress, title: str | None = None) -> str:
    """The chart as an inline <svg> element (no XML declaration or doctype), for an HTML page; give
    `title` (the chart's alt text) so assistive technology can name it."""
    return svg(drawing(ind, prog), title)


def unique_ids(svg: str, prefix: str) -> str:
    """Several charts share one HTML page: prefix any ids an SVG has (clip paths, definitions) and every
    reference to them, so no two elements of the page have one id. (The charts drawn here have none.)"""
    import re

    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg

    def rename(m: re.Match) -> str:
        return m.group(1) + (prefix + m.group(2) if m.group(2) in ids else m.group(2)) + m.group(3)
    return re.sub(r'(\bid="|url\(#|href="#)([^")]+)([")])', rename, svg)


def size_emu() -> tuple[int, int]:
    return int(WIDTH_IN * EMU_PER_INCH), int(HEIGHT_IN * EMU_PER_INCH)


@dataclass
class Charts:
    """Each indicator's chart, PNG and SVG, drawn the first time a document asks for it."""

    png: dict[str, bytes] = field(default_factory=dict)
    svg: dict[str, str] = field(default_factory=dict)

    def draw_all(self, comp) -> None:
        """Draw every chart the documents can show (before the writers fork, so each is drawn once)."""
        for ind in comp.plan.indicators:
            prog = comp.progress.indicator(ind.id)
            if has_chart(prog):
                self.png_for(ind, prog)

    def png_for(self, ind: Indicator, prog: IndicatorProgress) -> bytes:
        if ind.id not in self.png:
            self.png[ind.id] = chart_png(ind, prog)
        return self.png[ind.id]

    def svg_for(self, ind: Indicator, prog: IndicatorProgress, title: str) -> str:
        if ind.id not in self.svg:
            self.svg[ind.id] = chart_svg(ind, prog, title)
        return self.svg[ind.id]
