"""The top bar: grouped entries become one dropdown each, placed at their first item."""

from cppcc_portal.context_processors import nav_entries
from cppcc_portal.hooks import NavItem


def test_grouped_items_become_one_menu_at_the_first_items_place():
    items = [
        NavItem("工作台", "/", order=0),
        NavItem("提案列表", "/proposals/", order=20, group="提案"),
        NavItem("立案审查", "/proposals/review/", order=21, group="提案"),
        NavItem("统计", "/stats/", order=95),
    ]
    entries = nav_entries(items, "/proposals/review/")
    assert [entry["label"] for entry in entries] == ["工作台", "提案", "统计"]
    menu = entries[1]
    assert menu["active"] is True
    assert [(c["label"], c["active"]) for c in menu["children"]] == [("提案列表", False), ("立案审查", True)]


def test_a_group_with_one_item_is_a_plain_link_named_after_the_group():
    entries = nav_entries([NavItem("提案列表", "/proposals/", order=20, group="提案")], "/")
    assert entries == [{"label": "提案", "url": "/proposals/", "active": False}]
