"""The portal installs as a phone app: manifest and service worker from the portal itself."""

import json

from django.templatetags.static import static


def test_the_manifest_names_the_portal_and_its_icons(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith(static(""))
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_at_the_root_and_keeps_the_forms(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "/opinions/micro/new/" in body and static("js/offline.js") in body
    assert "no-cache" in response["Cache-Control"]


def test_every_page_links_the_manifest_and_the_scripts_without_inline_code(login, demo):
    page = login("member2").get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert static("js/pwa.js") in page and static("js/offline.js") in page
    assert "<script>" not in page
