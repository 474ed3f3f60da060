"""Every consultations model has a working admin: list, search, add and history pages."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

MODELS = [
    model for model in apps.get_app_config("consultations").get_models() if not model.__name__.startswith("Historical")
]


def test_every_model_is_registered():
    missing = [model.__name__ for model in MODELS if not admin.site.is_registered(model)]
    assert not missing


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_admin_pages_open(model, login, demo):
    client = login("admin")
    request = RequestFactory().get("/admin/")
    request.user = demo["admin"]
    base = f"/admin/consultations/{model._meta.model_name}/"
    assert client.get(base).status_code == 200
    assert client.get(base, {"q": "测试"}).status_code == 200
    # Rows that only the services create (invitations, speeches, deliveries …) have no add page.
    expected_add = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert client.get(f"{base}add/").status_code == expected_add
    instance = model.objects.first()
    if instance is not None:
        assert client.get(f"{base}{instance.pk}/change/").status_code == 200
