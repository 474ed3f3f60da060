"""Steps the browser journeys share."""


def open_action(page, label: str) -> None:
    """Click a proposal page's action by its label and wait for the page it opens."""
    page.locator("#actions a", has_text=label).first.click()
    page.wait_for_load_state("networkidle")


def pick_members(page, field_id: str, *names: str) -> None:
    """Tick members in a member picker (members/picker.py): type each name, tick its match."""
    search = page.locator(f"#{field_id}")
    picker = search.locator("xpath=ancestor::div[@data-picker][1]")
    for name in names:
        search.fill(name)
        match = picker.locator("[data-picker-results] label", has_text=name).first
        match.locator("input").check()
        picker.locator("[data-picker-chosen] label", has_text=name).first.wait_for()
