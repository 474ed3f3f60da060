"""Kept documents (``cppcc_portal.generated``): slow documents are built by the task and kept.

Most tests run inside the test's transaction, where there is no write version (as on SQLite):
every request builds afresh, the build runs when the request would commit (the eager task,
``django_capture_on_commit_callbacks``) and the page's poll then shows the link. The tests
that a kept document is served again, and built again after a write, need the write version:
PostgreSQL and committed data (``transactional_db``).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from cppcc_portal import generated
from cppcc_portal.models import GeneratedDocument
from cppcc_portal.tasks import build_generated_document
from members.models import Organization, PlenarySession
from proposals.enums import REGISTERED_STATES
from proposals.kept_documents import COMPILATION, HANDOVER
from proposals.models import Proposal
from tests.builders import uncommitted

Status = GeneratedDocument.Status


def compilation_url() -> str:
    return f"/proposals/documents/{PlenarySession.current().pk}/compilation.docx"


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def status_url(document: GeneratedDocument) -> str:
    return f"/documents/generated/{document.pk}/"


def download_url(document: GeneratedDocument) -> str:
    return f"/documents/generated/{document.pk}/download/"


@pytest.fixture
def queued(monkeypatch):
    """Messages to the task are kept here instead of running (as with a busy worker)."""
    sent: list[int] = []
    monkeypatch.setattr(build_generated_document, "delay", lambda pk: sent.append(pk))
    return sent


# --- Within a transaction: no version, every request its own build ---------------------------------------


def test_the_first_request_waits_and_the_poll_gives_the_link_once_built(login, django_capture_on_commit_callbacks):
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        waiting = client.get(compilation_url())
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert "正在生成" in html and 'hx-trigger="every' in html and len(callbacks) == 1
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert document.status == Status.READY and document.requested_by.username == "staff"
    assert document.data_version is None  # no version inside a transaction: for this request only
    assert f'hx-get="{status_url(document)}"' in html

    poll = client.get(status_url(document), headers={"HX-Request": "true"}).content.decode()
    assert download_url(document) in poll and "hx-trigger" not in poll and "<html" not in poll
    download = client.get(download_url(document))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''") and disposition.endswith(quote("提案汇编.docx"))
    registered = Proposal.objects.filter(session=PlenarySession.current(), state__in=REGISTERED_STATES).first()
    assert registered.title in docx_text(body(download))
    assert generated.build_document(document.pk) == "skipped"  # a redelivered message does nothing


def test_without_a_version_every_request_builds_afresh(login, queued, django_capture_on_commit_callbacks):
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
        client.get(compilation_url())
    assert GeneratedDocument.objects.filter(kind=COMPILATION.key, data_version=None).count() == 2
    assert len(queued) == 2


def test_the_poll_waits_and_the_download_is_not_there_before_the_build(login, queued):
    client = login("staff")
    client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    poll = client.get(status_url(document), headers={"HX-Request": "true"}).content.decode()
    assert "正在生成" in poll and "hx-trigger" in poll
    early = client.get(download_url(document))
    assert early.status_code == 302 and early["Location"] == status_url(document)


@pytest.mark.parametrize("username", ["unit_health", "member1", "party_minjin"])
def test_who_may_not_have_the_document_is_refused_its_page_poll_and_download(login, demo, download, username):
    session = PlenarySession.current()
    unit = Organization.objects.get(name="区教育局")
    url = f"/proposals/documents/{session.pk}/handover/{unit.pk}.pdf"
    made = download(login("unit_edu"), url)
    assert made.status_code == 200 and made.content.startswith(b"%PDF")
    document = GeneratedDocument.objects.get(kind=HANDOVER.key)
    assert document.is_ready

    client = login(username)
    assert client.get(url).status_code == 403
    assert client.get(status_url(document)).status_code == 403
    assert client.get(status_url(document), headers={"HX-Request": "true"}).status_code == 403
    assert client.get(download_url(document)).status_code == 403
    assert client.post(status_url(document)).status_code == 403
    # Who may: the unit itself and the office.
    for allowed in ("unit_edu", "staff"):
        assert login(allowed).get(download_url(document)).status_code == 200, allowed


def test_an_unknown_document_is_not_found_and_anonymous_is_sent_to_sign_in(login, client):
    assert client.get("/documents/generated/999999/").status_code == 302
    assert client.get("/documents/generated/999999/download/").status_code == 302
    staff = login("staff")
    assert staff.get("/documents/generated/999999/").status_code == 404
    assert staff.get("/documents/generated/999999/download/").status_code == 404


def test_a_failed_build_says_so_in_chinese_and_the_retry_builds_it(
    login, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(params, user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(generated._kinds, COMPILATION.key, dataclasses.replace(COMPILATION, build=broken))
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert document.status == Status.FAILED
    page = client.get(status_url(document)).content.decode()
    assert generated.FAILED_MESSAGE in page and "disk full" not in page and "重新生成" in page
    assert "hx-trigger" not in page  # nothing to wait for

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retried = client.post(status_url(document))
    assert retried.status_code == 302 and len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == Status.READY and not document.error
    assert client.get(download_url(document)).status_code == 200


def test_a_build_refused_for_a_reason_shows_that_reason(login, monkeypatch, django_capture_on_commit_callbacks):
    from cppcc_portal.errors import ApplicationError

    def gone(params, user):
        raise ApplicationError("该会次已不存在，无法生成文档。")

    monkeypatch.setitem(generated._kinds, COMPILATION.key, dataclasses.replace(COMPILATION, build=gone))
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert "该会次已不存在，无法生成文档。" in client.get(status_url(document)).content.decode()


def test_a_broker_that_is_down_is_a_message_not_an_error(login, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(build_generated_document, "delay", refuse)
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    page = client.get(status_url(document))
    assert page.status_code == 200 and generated.BROKER_DOWN_MESSAGE in page.content.decode()


def test_a_lost_build_is_started_again_by_the_poll(login, queued, django_capture_on_commit_callbacks):
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert queued == [document.pk]
    # Not yet stale: the poll waits and queues nothing.
    client.get(status_url(document), headers={"HX-Request": "true"})
    assert queued == [document.pk]
    # Its worker died half an hour ago: the next poll starts it again.
    long_ago = timezone.now() - generated.STALE_AFTER - timedelta(minutes=1)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=Status.RUNNING, started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(status_url(document), headers={"HX-Request": "true"})
    assert queued == [document.pk, document.pk]
    document.refresh_from_db()
    assert document.status == Status.PENDING and document.started_at is None
    # A worker that took the first message late finds it claimed by the second build.
    assert generated.build_document(document.pk) == Status.READY
    assert generated.build_document(document.pk) == "skipped"


def test_kept_files_go_after_the_retention_period(login, django_capture_on_commit_callbacks, settings):
    client = login("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.get(compilation_url())
    older, newer = GeneratedDocument.objects.filter(kind=COMPILATION.key).order_by("pk")
    older_file = Path(settings.MEDIA_ROOT) / older.file.name
    assert older_file.exists() and older.is_ready and newer.is_ready
    # A newer one is ready: the older goes once it has been superseded for a while.
    assert generated.drop_old_documents() == 0
    GeneratedDocument.objects.filter(pk=older.pk).update(
        finished_at=timezone.now() - generated.SUPERSEDED_AFTER - timedelta(minutes=1)
    )
    assert generated.drop_old_documents() == 1
    assert not older_file.exists() and not GeneratedDocument.objects.filter(pk=older.pk).exists()
    # The newest goes too, once kept for KEEP_FOR.
    GeneratedDocument.objects.filter(pk=newer.pk).update(finished_at=timezone.now() - generated.KEEP_FOR)
    assert generated.drop_old_documents() == 1
    assert not GeneratedDocument.objects.filter(kind=COMPILATION.key).exists()
    assert not (Path(settings.MEDIA_ROOT) / newer.file.name).exists()


def test_the_kept_documents_do_not_move_the_write_version():
    from cppcc_portal import writeversion

    assert not writeversion.watched(GeneratedDocument._meta.db_table)


# --- With the write version (PostgreSQL, committed data) ------------------------------------------------


def test_a_double_request_starts_one_build_served_until_a_write(transactional_db, postgres, demo, queued):
    staff = Client()
    staff.force_login(demo["staff"])
    leader = Client()
    leader.force_login(demo["leader"])
    first = staff.get(compilation_url())
    second = staff.get(compilation_url())  # the double click
    third = leader.get(compilation_url())  # someone else, at the same moment
    assert all("正在生成" in page.content.decode() for page in (first, second, third))
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert document.data_version is not None and queued == [document.pk]

    assert generated.build_document(document.pk) == Status.READY
    document.refresh_from_db()
    assert document.data_version is not None  # nothing was in flight: it keeps its version
    served = leader.get(compilation_url())
    assert served.status_code == 200 and served["Content-Type"].startswith("application/vnd.openxmlformats")
    registered = Proposal.objects.filter(session=PlenarySession.current(), state__in=REGISTERED_STATES).first()
    assert registered.title in docx_text(body(served))
    assert queued == [document.pk] and GeneratedDocument.objects.filter(kind=COMPILATION.key).count() == 1

    # Any write (even a bulk update, which sends no signal) makes the next request build again.
    Proposal.objects.filter(pk=registered.pk).update(title="关于改进社区养老服务的建议（修订）")
    assert "正在生成" in staff.get(compilation_url()).content.decode()
    fresh = GeneratedDocument.objects.filter(kind=COMPILATION.key).latest("pk")
    assert fresh.pk != document.pk and queued == [document.pk, fresh.pk]
    generated.build_document(fresh.pk)
    assert "关于改进社区养老服务的建议（修订）" in docx_text(body(staff.get(compilation_url())))


def test_with_the_eager_task_the_first_request_gets_the_file(transactional_db, postgres, login):
    """Outside a transaction the (eager) build runs before the answer: the file comes at once."""
    client = login("staff")
    response = client.get(compilation_url())
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    assert document.is_ready and document.data_version is not None
    assert client.get(compilation_url())["Content-Type"].startswith("application/vnd.openxmlformats")
    assert GeneratedDocument.objects.filter(kind=COMPILATION.key).count() == 1


def test_a_lost_kept_build_is_started_again_by_the_next_request(transactional_db, postgres, demo, queued):
    client = Client()
    client.force_login(demo["staff"])
    client.get(compilation_url())
    document = GeneratedDocument.objects.get(kind=COMPILATION.key)
    client.get(compilation_url())
    assert queued == [document.pk]  # still building: one message
    GeneratedDocument.objects.filter(pk=document.pk).update(
        created_at=timezone.now() - generated.STALE_AFTER - timedelta(minutes=1)
    )
    client.get(compilation_url())
    assert queued == [document.pk, document.pk]
    assert GeneratedDocument.objects.filter(kind=COMPILATION.key).count() == 1


def test_a_build_begun_while_a_write_is_uncommitted_is_offered_to_no_one_else(transactional_db, postgres, demo, queued):
    """The writer moved the version at its statement and commits later: a build that began
    meanwhile may miss its rows, so it keeps no version (its requester still gets it)."""
    client = Client()
    client.force_login(demo["staff"])
    proposal = Proposal.objects.filter(session=PlenarySession.current(), state__in=REGISTERED_STATES).first()
    with uncommitted(lambda: Proposal.objects.filter(pk=proposal.pk).update(title="提交前改名的提案")):
        client.get(compilation_url())
        document = GeneratedDocument.objects.get(kind=COMPILATION.key)
        assert document.data_version is not None
        assert generated.build_document(document.pk) == Status.READY
    document.refresh_from_db()
    assert document.is_ready and document.data_version is None
    assert client.get(download_url(document)).status_code == 200  # the requester has it
    # The next request does not get it: the write is committed now, and it is built again with it.
    assert "正在生成" in client.get(compilation_url()).content.decode()
    fresh = GeneratedDocument.objects.filter(kind=COMPILATION.key).latest("pk")
    assert fresh.pk != document.pk
    generated.build_document(fresh.pk)
    assert "提交前改名的提案" in docx_text(body(client.get(compilation_url())))
