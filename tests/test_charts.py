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
