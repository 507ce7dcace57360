from decimal import Decimal

from schooltech.core.charts import CHART_WIDTH, bar_chart


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
