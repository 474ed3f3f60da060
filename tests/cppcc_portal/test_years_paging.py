"""The shared page helpers: the year a page shows, and one page of a list."""

from datetime import date

import time_machine
from django.test import RequestFactory

from cppcc_portal.paging import paginate
from cppcc_portal.years import chosen_year, year_choices

get = RequestFactory().get


@time_machine.travel(date(2026, 6, 1))
def test_year_choices_run_from_this_year_back_to_the_first():
    assert year_choices(2023) == [2026, 2025, 2024, 2023]
    assert year_choices(2030) == [2026], "a span that would start in the future is just this year"


@time_machine.travel(date(2026, 6, 1))
def test_chosen_year_is_one_the_page_offers_else_the_newest():
    offered = year_choices(2023)
    assert chosen_year(get("/", {"year": "2024"}), offered) == 2024
    for value in ("2022", "2027", "abc", "", "2024;"):
        assert chosen_year(get("/", {"year": value}), offered) == 2026, value
    assert chosen_year(get("/"), offered) == 2026


def test_paginate_reads_the_page_number_and_tolerates_bad_ones():
    items = list(range(45))
    assert list(paginate(get("/", {"page": "2"}), items, 20)) == list(range(20, 40))
    assert paginate(get("/", {"page": "x"}), items, 20).number == 1
    assert paginate(get("/", {"page": "99"}), items, 20).number == 3
    assert paginate(get("/", {"apage": "3"}), items, 20, param="apage").number == 3
