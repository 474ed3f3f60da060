"""Kept documents (cppcc_portal.generated): built once in the background, served again while the
data is unchanged, built anew after a change; one build however often it is asked for; a failure
is a Chinese message with a way to try again; every poll and download checks the user."""

from __future__ import annotations

import dataclasses
from io import BytesIO

import pytest
from docx import Document

from cppcc_portal import generated
from cppcc_portal.models import DataWrite, GeneratedDocument
from members.models import Organization, PlenarySession, User
from proposals.enums import REGISTERED_STATES
from proposals.kept_documents import COMPILATION, HANDOVER
from proposals.models import Proposal

Status = GeneratedDocument.Status


def compilation_url() -> str:
    return f"/proposals/documents/{PlenarySession.current().pk}/compilation.docx"


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def test_the_first_request_waits_then_the_kept_file_is_served_until_the_data_changes(
    login, django_capture_on_commit_callbacks
):
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        waiting = client.get(compilation_url())
    assert waiting["Content-Type"].startswith("text/html") and "正在生成" in waiting.content.decode()
    assert len(queued) == 1
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert document.status == Status.READY and document.requested_by.username == "staff"

    # Nothing changed: the kept file, at once, and nothing is queued.
    with django_capture_on_commit_callbacks() as queued:
        served = client.get(compilation_url())
    assert served["Content-Type"].startswith("application/vnd.openxmlformats") and not queued
    assert GeneratedDocument.objects.filter(kind=COMPILATION.key).count() == 1
    registered = Proposal.objects.filter(session=PlenarySession.current(), state__in=REGISTERED_STATES).first()
    assert registered.title in docx_text(b"".join(served.streaming_content))

    # A change (even a bulk update, which sends no signal) makes the next request build a new one.
    Proposal.objects.filter(pk=registered.pk).update(title="关于改进社区养老服务的建议（修订）")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert "正在生成" in client.get(compilation_url()).content.decode()
    assert len(queued) == 1
    fresh = client.get(compilation_url())
    assert "关于改进社区养老服务的建议（修订）" in docx_text(b"".join(fresh.streaming_content))
    # The older version is dropped once the new one is ready.
    assert list(GeneratedDocument.objects.filter(kind=COMPILATION.key).values_list("status", flat=True)) == ["ready"]


def test_asking_twice_before_it_is_built_starts_one_build(login, demo, django_capture_on_commit_callbacks):
    staff = login("staff")
    with django_capture_on_commit_callbacks() as queued:
        staff.get(compilation_url())
        staff.get(compilation_url())
        from django.test import Client

        leader = Client()
        leader.force_login(demo["leader"])
        page = leader.get(compilation_url())
    assert len(queued) == 1
    assert GeneratedDocument.objects.filter(kind=COMPILATION.key).count() == 1
    assert "正在生成" in page.content.decode() and 'hx-trigger="every' in page.content.decode()


def test_the_poll_shows_the_link_once_ready(login, django_capture_on_commit_callbacks):
    client = login("staff")
    with django_capture_on_commit_callbacks():
        client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    poll = client.get(f"/documents/generated/{document.pk}/", headers={"HX-Request": "true"})
    assert "正在生成" in poll.content.decode() and "<html" not in poll.content.decode()
    assert client.get(f"/documents/generated/{document.pk}/download/").status_code == 302  # not yet

    assert generated.build_document(document.pk) == Status.READY
    assert generated.build_document(document.pk) == "skipped"  # a redelivered message does nothing
    poll = client.get(f"/documents/generated/{document.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f"/documents/generated/{document.pk}/download/" in poll and "hx-trigger" not in poll
    download = client.get(f"/documents/generated/{document.pk}/download/")
    assert download.status_code == 200 and "filename*=UTF-8''" in download["Content-Disposition"]


def test_a_failed_build_says_so_in_chinese_and_can_be_started_again(
    login, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(params, user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(generated._kinds, COMPILATION.key, dataclasses.replace(COMPILATION, build=broken))
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    page = client.get(compilation_url())
    assert page.status_code == 200 and generated.FAILED_MESSAGE in page.content.decode()
    assert "disk full" not in page.content.decode() and "重新生成" in page.content.decode()
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert client.post(f"/documents/generated/{document.pk}/").status_code == 302
    assert len(queued) == 1
    document.refresh_from_db()
    assert document.status == Status.READY and not document.error


def test_a_broker_that_is_down_is_a_message_not_an_error(login, monkeypatch, django_capture_on_commit_callbacks):
    from cppcc_portal.tasks import build_generated_document

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(build_generated_document, "delay", refuse)
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    page = client.get(compilation_url())
    assert page.status_code == 200 and generated.BROKER_DOWN_MESSAGE in page.content.decode()


def test_polls_and_downloads_ask_whether_this_user_may_have_the_document(login, demo, download):
    session = PlenarySession.current()
    unit = Organization.objects.get(name="区教育局")
    download(login("unit_edu"), f"/proposals/documents/{session.pk}/handover/{unit.pk}.pdf")
    document = GeneratedDocument.objects.get(kind=HANDOVER.key)
    assert document.status == Status.READY
    for username, status in (("unit_edu", 200), ("staff", 200), ("unit_health", 403), ("member1", 403)):
        client = login(username)
        assert client.get(f"/documents/generated/{document.pk}/").status_code == status, username
        assert client.get(f"/documents/generated/{document.pk}/download/").status_code == status, username
        assert client.post(f"/documents/generated/{document.pk}/").status_code == (302 if status == 200 else 403)


def test_every_committed_write_raises_the_version_and_compaction_keeps_it(demo):
    version = generated.data_version(COMPILATION)
    proposal = Proposal.objects.first()
    proposal.save()
    assert generated.data_version(COMPILATION) > version
    version = generated.data_version(COMPILATION)
    Proposal.objects.filter(pk=-1).delete()  # a statement that changes nothing still counts (PostgreSQL)
    assert generated.data_version(COMPILATION) >= version
    version = generated.data_version(COMPILATION)

    # A sign-in writes last_login only: documents that print users' names are not rebuilt for it.
    user = User.objects.get(username="staff")
    user.save(update_fields=["last_login"])
    assert generated.data_version(COMPILATION) == version
    user.name = "新名字"
    user.save(update_fields=["name"])
    assert generated.data_version(COMPILATION) > version

    version = generated.data_version(COMPILATION)
    rows = DataWrite.objects.count()
    generated.compact_writes()
    assert DataWrite.objects.count() <= rows
    assert generated.data_version(COMPILATION) == version


def test_the_write_log_and_the_documents_cannot_be_watched():
    with pytest.raises(ValueError):
        generated.watched_tables(["cppcc_portal.DataWrite"])
