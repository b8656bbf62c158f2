"""Trend charts: drawn only for three values or more, the same bytes twice, alt text with the figures."""

from __future__ import annotations

from compiler.charts import chart_png, chart_svg, has_chart
from compiler.model import Indicator, IndicatorValue
from compiler.progress import IndicatorProgress, series
from compiler.present.progress_view import chart_alt
from compiler.diagnostics import Location
from compiler.values import Value


def _ind(values: list[tuple[str, float]]) -> Indicator:
    return Indicator("LF9.1", "Adults who smoke", Location("logframe.xlsx"), unit="%", polarity="lower",
                     baseline=IndicatorValue("2021/22", Value(14.0)),
                     targets=[IndicatorValue("2025/26", Value(10.0))],
                     values=[IndicatorValue(p, Value(v), origin="trend") for p, v in values])


def _progress(ind: Indicator) -> IndicatorProgress:
    return IndicatorProgress(ind.id, ind.values[-1], ind.targets[0], 0.5, 0.6, "amber", False, "improving",
                             ind.values[-2], "improving", series(ind))


def test_two_renders_are_byte_identical_png_and_svg():
    ind = _ind([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)])
    p = _progress(ind)
    assert has_chart(p)
    first, second = chart_png(ind, p), chart_png(ind, p)
    assert first == second and first.startswith(b"\x89PNG")
    assert b"Software" not in first
    svg = chart_svg(ind, p, title="Trend chart")
    assert svg == chart_svg(ind, p, title="Trend chart")
    assert svg.startswith("<svg") and "<title>Trend chart</title>" in svg and "<dc:date>" not in svg


def test_fewer_than_three_values_get_no_chart():
    ind = _ind([("2022/23", 13.1), ("2023/24", 12.0)])
    ind.baseline = None
    assert not has_chart(_progress(ind))


def test_alt_text_states_the_figures_targets_and_direction():
    ind = _ind([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)])
    alt = chart_alt(ind, _progress(ind))
    assert "2021/22: 14%; 2022/23: 13.1%; 2023/24: 12%" in alt
    assert "Targets: 2025/26: 10%" in alt and "Lower is better" in alt
    assert "Direction of travel: improving since 2022/23" in alt and "Slightly off track" in alt


def test_the_html_editions_get_the_same_chart_as_inline_svg_with_its_alt_text(tmp_path):
    from compiler.compilation import Compilation
    from compiler.model import Plan
    from compiler.present.progress_view import chart_svg_for
    from compiler.ruleset import load_rules
    from tests.conftest import DEFAULT_RULES

    ind = _ind([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)])
    comp = Compilation(load_rules(DEFAULT_RULES), [], Plan(indicators=[ind]))
    svg = chart_svg_for(comp, ind)
    assert svg is not None and svg.startswith("<svg") and 'role="img"' in svg
    assert "2022/23: 13.1%" in svg and "Direction of travel: improving since 2022/23" in svg


# --- what a chart shows: its geometry, and the same in the SVG and the PNG ------------------------------

def _lf(values, targets, unit="%"):
    ind = _ind(values)
    ind.unit = unit
    ind.targets = [IndicatorValue(p, Value(v)) for p, v in targets]
    return ind, _progress(ind)


def _shapes(d):
    from compiler.chart_render import Line, Marker

    lines = [s for s in d.shapes if isinstance(s, Line)]
    return lines, [s for s in d.shapes if isinstance(s, Marker)]


def test_the_chart_draws_each_value_and_target_where_it_belongs():
    from compiler.charts import LINE, TARGET, drawing

    ind, p = _lf([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)], [("2024/25", 11.0), ("2025/26", 10.0)])
    d = drawing(ind, p)
    lines, markers = _shapes(d)
    trend = [ln for ln in lines if ln.colour == LINE and len(ln.points) == 3]
    assert len(trend) == 1, "one line through the three values"
    xs = [x for x, _ in trend[0].points]
    ys = [y for _, y in trend[0].points]
    assert xs == sorted(xs) and ys == sorted(ys), "periods left to right; falling values go down the page"
    dots = [m for m in markers if m.shape == "circle" and (m.x, m.y) in trend[0].points]
    assert len(dots) == 3
    diamonds = [m for m in markers if m.shape == "diamond" and m.edge == TARGET]
    assert len(diamonds) == 3, "two targets and the legend's key"
    key = next(lb for lb in d.labels if lb.text == "Target")
    legend_key = min(diamonds, key=lambda m: abs(m.x - key.x) + abs(m.y - key.y))
    plotted = sorted((m for m in diamonds if m is not legend_key), key=lambda m: m.x)
    assert len(plotted) == 2 and plotted[0].y < plotted[1].y and plotted[1].y > ys[-1], "10 below 11 below 12"
    # the spacing of the periods is even, the targets after the values
    assert abs((xs[1] - xs[0]) - (plotted[0].x - xs[2])) < 1e-6


def test_the_chart_is_labelled_periods_round_ticks_and_unit():
    from compiler.charts import drawing

    ind, p = _lf([("2021/22", 31480), ("2022/23", 38120), ("2023/24", 41250)], [("2025/26", 50000)], unit="count")
    d = drawing(ind, p)
    texts = [lb.text for lb in d.labels]
    assert [t for t in texts if "/" in t] == ["2021/22", "2022/23", "2023/24", "2025/26"]
    assert {"35,000", "40,000", "45,000", "50,000"} <= set(texts), texts
    unit = [lb for lb in d.labels if lb.vertical]
    assert [lb.text for lb in unit] == ["count"]
    assert "Value" in texts and "Target" in texts
    # every label is on the page
    from compiler.chart_render import text_width

    for lb in d.labels:
        if not lb.vertical:
            w = text_width(lb.text, lb.size)
            left = lb.x - {"start": 0, "middle": w / 2, "end": w}[lb.anchor]
            assert 0 <= left and left + w <= d.width and 0 < lb.y <= d.height, lb


def test_the_ticks_are_round_steps_inside_the_axis():
    from compiler.charts import tick_text, y_scale

    lo, hi, ticks, places = y_scale([9.5, 13.1])
    assert ticks == [10.0, 11.0, 12.0, 13.0] and places == 0 and lo < 9.5 and hi > 13.1
    lo, hi, ticks, places = y_scale([14.1, 15.4])
    assert [tick_text(t, places) for t in ticks] == ["14.2", "14.4", "14.6", "14.8", "15.0", "15.2", "15.4"]
    assert tick_text(-1500.0, 0) == "\u22121,500"
    lo, hi, ticks, _ = y_scale([5.0, 5.0, 5.0])  # a flat line still gets an axis
    assert lo < 5 < hi and len(ticks) >= 2


def test_crowded_periods_break_onto_two_lines_then_thin_out():
    from compiler.charts import period_labels

    periods = ["2019/20", "2020/21", "Q1 2025/26", "2025/26"]
    one, n = period_labels(periods, 60.0)
    assert n == 1 and one[2] == ("Q1 2025/26",)
    two, n = period_labels(periods, 32.0)
    assert n == 1 and two[2] == ("Q1", "2025/26")
    _, n = period_labels([f"{2000 + i}/{i + 1:02d}" for i in range(20)], 10.0)
    assert n >= 3


def test_the_legend_keeps_clear_of_the_points():
    from compiler.charts import drawing

    ind, p = _lf([("2021/22", 1.0), ("2022/23", 5.0), ("2023/24", 9.0)], [("2025/26", 10.0)])
    d = drawing(ind, p)
    key = next(lb for lb in d.labels if lb.text == "Value")
    assert key.x < d.width / 2, "rising to the top right: the legend goes top left"
    ind, p = _lf([("2021/22", 9.0), ("2022/23", 5.0), ("2023/24", 1.0)], [("2025/26", 0.5)])
    key = next(lb for lb in drawing(ind, p).labels if lb.text == "Value")
    assert key.x > d.width / 2, "falling away from the top right: the legend goes there"


def test_the_svg_and_the_png_draw_the_geometry():
    import io

    from PIL import Image

    from compiler.charts import DPI, LINE, TARGET, drawing

    ind, p = _lf([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)], [("2025/26", 10.0)])
    d = drawing(ind, p)
    svg = chart_svg(ind, p, title='Chart "of" <LF9.1>')
    assert svg.count("<circle") == 4 and svg.count(f'stroke="{TARGET}"') == 2  # 3 values, 2 targets' diamonds
    assert 'aria-label="Chart &quot;of&quot; &lt;LF9.1&gt;"' in svg and "<title>Chart \"of\" &lt;LF9.1&gt;</title>" in svg
    assert ">2022/23</text>" in svg and ">%</text>" in svg and 'id="' not in svg
    image = Image.open(io.BytesIO(chart_png(ind, p))).convert("RGB")
    k = DPI / 72
    assert image.size == (round(d.width * k), round(d.height * k))
    blue = tuple(int(LINE[i:i + 2], 16) for i in (1, 3, 5))
    _, markers = _shapes(d)
    for m in markers:
        if m.shape == "circle":
            assert image.getpixel((int(m.x * k), int(m.y * k))) == blue
        else:  # the diamond's outline is red, its middle white
            assert image.getpixel((int(m.x * k), int(m.y * k))) == (255, 255, 255)
            r, g, b = image.getpixel((int(m.x * k), int((m.y - m.size / 2) * k) + 1))
            assert r > 180 and g < 120 and b < 100


def test_without_dejavu_sans_the_chart_is_drawn_in_pillows_own_font(monkeypatch):
    import io

    from PIL import Image

    from compiler import chart_render

    monkeypatch.setattr(chart_render, "font_path", lambda: None)
    chart_render.font.cache_clear()
    try:
        ind, p = _lf([("2021/22", 14.0), ("2022/23", 13.1), ("2023/24", 12.0)], [("2025/26", 10.0)])
        image = Image.open(io.BytesIO(chart_png(ind, p)))
        assert image.size == (504, 264) and chart_render.font(10.0).getlength("2022/23") > 0
    finally:
        chart_render.font.cache_clear()
