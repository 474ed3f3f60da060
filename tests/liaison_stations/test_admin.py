"""The admin pages for stations and 社情民意 render for the superuser."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "liaison_stations_stationactivity",
        "liaison_stations_livelihoodmatter",
        "liaison_stations_donation",
        "proposals_publicopinion",
    ],
)
def test_admin_changelist_and_change_page(login, model):
    client = login("admin")
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    app, name = (
        model.split("_", 1)
        if model.startswith("proposals")
        else ("liaison_stations", model.removeprefix("liaison_stations_"))
    )
    from django.apps import apps

    obj = apps.get_model(app, name).objects.first()
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200
