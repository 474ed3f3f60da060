"""Charts: the same figures draw the same SVG, once per process."""

from cppcc_portal.stats import _bar_svg, bar_chart, horizontal_bar_chart, pie_chart


def test_a_chart_is_drawn_once_for_the_same_figures_and_again_when_they_change():
    labels, series = ["教育", "卫生"], {"件数": [3, 5]}
    first = bar_chart("测试图表（按类别）", labels, series)
    hits = _bar_svg.cache_info().hits
    again = bar_chart("测试图表（按类别）", list(labels), {"件数": [3.0, 5.0]})
    assert again == first and _bar_svg.cache_info().hits == hits + 1
    changed = bar_chart("测试图表（按类别）", labels, {"件数": [3, 6]})
    assert changed != first and "<svg" in changed and "<script" not in changed
    assert "教育" in horizontal_bar_chart("联络站活动", labels, series)
    assert "卫生" in pie_chart("答复类别", list(zip(labels, [1, 2], strict=True)))
