"""Small trend charts of an indicator, its targets marked: PNG for Word, inline SVG for HTML editions.

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot, so no global figure state
to leak or close), with a fixed font (DejaVu Sans, which ships with matplotlib), a fixed SVG hash
salt and no date or software in the metadata: the same compilation gives the same bytes. Only
indicators with MIN_POINTS values or more get a chart; each is drawn once per compilation
(`Compilation.charts`) and shared by every document that shows it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .model import Indicator  # noqa: E402
from .progress import IndicatorProgress  # noqa: E402
from .values import period_sort_key  # noqa: E402

MIN_POINTS = 3
WIDTH_IN, HEIGHT_IN, DPI = 4.2, 2.2, 120
EMU_PER_INCH = 914400
STYLE = {"font.family": "DejaVu Sans", "font.size": 7, "svg.hashsalt": "sdp-trend-chart", "svg.fonttype": "none",
         "axes.spines.top": False, "axes.spines.right": False, "path.simplify": False}
LINE, TARGET = "#1d70b8", "#d4351c"  # GOV.UK blue and red: distinct for most colour vision, and shapes differ too


def has_chart(prog: IndicatorProgress | None) -> bool:
    return prog is not None and len(prog.series) >= MIN_POINTS


def _figure(ind: Indicator, prog: IndicatorProgress) -> Figure:
    targets = [t for t in ind.targets if t.value.number is not None and t.period]
    periods = sorted({v.period for v in prog.series} | {t.period for t in targets}, key=period_sort_key)
    x = {p: n for n, p in enumerate(periods)}
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        ax = fig.add_subplot()
        ax.plot([x[v.period] for v in prog.series], [v.value.number for v in prog.series], color=LINE,
                marker="o", markersize=3.5, linewidth=1.6, label="Value")
        if targets:
            ax.plot([x[t.period] for t in targets], [t.value.number for t in targets], linestyle="none",
                    marker="D", markersize=5, markerfacecolor="white", markeredgecolor=TARGET,
                    markeredgewidth=1.4, label="Target")
        ax.set_xticks(range(len(periods)), periods)
        ax.tick_params(axis="x", labelsize=6.5)
        if ind.unit:
            ax.set_ylabel(ind.unit if len(ind.unit) <= 24 else ind.unit[:23] + "…")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.legend(loc="best", frameon=False, fontsize=6.5)
        # fixed margins rather than tight_layout, which draws the figure once more just to measure it
        fig.subplots_adjust(left=0.15, right=0.95, top=0.96, bottom=0.14)
    return fig


def chart_png(ind: Indicator, prog: IndicatorProgress) -> bytes:
    fig = _figure(ind, prog)
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def chart_svg(ind: Indicator, prog: IndicatorProgress, title: str | None = None) -> str:
    """The chart as an inline <svg> element (no XML declaration or doctype), for an HTML page; give
    `title` (the chart's alt text) so assistive technology can name it."""
    fig = _figure(ind, prog)
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = unique_ids(buf.getvalue()[buf.getvalue().index("<svg"):], f"chart-{ind.id}-")
    if title:
        from html import escape

        head_end = svg.index(">") + 1
        svg = (svg[:head_end - 1] + ' role="img" aria-label="' + escape(title) + '">'
               + f"<title>{escape(title)}</title>" + svg[head_end:])
    return svg


def unique_ids(svg: str, prefix: str) -> str:
    """Several charts share one HTML page: prefix the ids matplotlib gives (axes_1, clip paths...) and
    every reference to them, so no two elements of the page have one id."""
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
    """Each indicator's PNG chart, drawn the first time a document asks for it."""

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
