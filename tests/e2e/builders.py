"""Steps the browser journeys share."""


def open_action(page, label: str) -> None:
    """Click a proposal page's action by its label and wait for the page it opens."""
    page.locator("#actions a", has_text=label).first.click()
    page.wait_for_load_state("networkidle")
