"""Bar charts: labels and values are HTML text (body size, set by the stylesheet), bars are sized in
percent of the largest value, and the macro draws what core/charts.py computed."""

from decimal import Decimal

from django.template import engines

from schooltech.core import charts
from schooltech.core.charts import CHART_WIDTH, bar_chart


def test_bars_are_sized_in_percent_of_the_largest():
    chart = charts.bar_chart([("A", 50), ("B", 200), ("C", 0), ("D", -5)], title="T")
    assert [bar.percent for bar in chart.bars] == [25.0, 100.0, 0.0, 0.0]
    money = charts.bar_chart([("2026 to 2027", Decimal("1234.5"))], title="M", money_values=True)
    assert money.bars[0].display == "£1,234"


def test_an_empty_chart_does_not_divide_by_zero():
    assert charts.bar_chart([("A", 0)], title="T").bars[0].percent == 0.0
    assert charts.bar_chart([], title="T").bars == []


def test_the_macro_writes_labels_and_values_as_text_and_only_bars_as_svg():
    env = engines["jinja2"].env
    template = env.from_string('{% from "core/macros/charts.html" import bar_chart %}{{ bar_chart(chart, "c") }}')
    html = template.render(chart=charts.bar_chart([("Laptops <old>", 3), ("Tablets", 6)], title="Devices"))
    assert '<figcaption class="app-chart__title" id="c-title">Devices</figcaption>' in html
    assert '<span class="app-chart__label">Laptops &lt;old&gt;</span>' in html
    assert '<span class="app-chart__value">6</span>' in html
    assert 'width="50.0%"' in html and 'width="100.0%"' in html
    assert "<text" not in html and 'style="' not in html


# The older SVG measures, still computed (widths in the old viewBox units).


def test_bars_scale_to_the_largest_value_within_the_bar_area():
    chart = bar_chart([("A", 50), ("B", 100), ("C", 0)], title="Devices", label_width=260)
    widths = [bar.width for bar in chart.bars]
    assert widths == [160.0, 320.0, 0.0]  # bar area = 690 - 260 - 110
    assert chart.width == CHART_WIDTH
    assert [bar.y for bar in chart.bars] == [0, 40, 80]


def test_money_values_are_shown_in_pounds_and_decimals_are_accepted():
    chart = bar_chart([("2026 to 2027", Decimal("210560.40"))], title="Cost", money_values=True, label_width=150)
    assert chart.bars[0].display == "£210,560"
    assert chart.bars[0].width == 430.0


def test_an_empty_or_all_zero_chart_still_has_a_height():
    assert bar_chart([], title="Nothing").height > 0
    assert bar_chart([("A", 0)], title="Zero").bars[0].width == 0.0
