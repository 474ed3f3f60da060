"""Large documents built in the background and kept (提案汇编, 重点提案报告, 统计报告 PDF, 交办单, 履职档案).

An app registers a ``DocumentKind`` (what it is called, who may have it, how it is built) from a
module its ``AppConfig.ready()`` imports. Its download view then calls
``generated_views.offer(request, kind, params)``:

* the **data version** is the whole database's write version (``cppcc_portal.writeversion``: a
  PostgreSQL sequence every write statement on every table moves). One ``GeneratedDocument`` per
  (kind, parameters, version) exists (a unique constraint: a double click, or two people at once,
  start one build). When it is ready its file is served at once; otherwise the page shows
  "正在生成…" and polls (htmx) until the link is there;
* the Celery task ``build_generated_document`` builds it with the app's own builder. Before it
  reads anything it asks whether every write the version counts is committed
  (``writeversion.settled_version``); if another transaction has written and not yet committed,
  the build might miss that write, so the document loses its version: it is kept for whoever
  waits for it (by its number) and never offered to another request;
* where there is no version (SQLite, the embedded default), every request builds afresh (still
  through the task) and its document is only for that request's page.

Kept files go after ``KEEP_FOR``, or ``SUPERSEDED_AFTER`` once a newer one of the same document is
ready (``drop_old_documents``: after every build and from the periodic task).

Who may download is asked of the kind on every request, poll and download (object level).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import writeversion
from .errors import ApplicationError
from .models import GeneratedDocument

logger = logging.getLogger(__name__)

Status = GeneratedDocument.Status
FINISHED = (Status.READY, Status.FAILED)
# A build pending or running this long is taken to be lost (its worker gone, the broker down)
# and is started again by the next request or poll. The session's 提案汇编 takes minutes at a
# district's size, longer on a busy worker; an hour is also when Redis hands an unacknowledged
# message to another worker (``visibility_timeout``), which then reclaims the build.
STALE_AFTER = timedelta(hours=1)
# A finished document goes this long after it was made, however current it still is.
KEEP_FOR = timedelta(days=7)
# An older document of the same kind and parameters goes this long after a newer one is ready
# (whoever still has the older one's page open can download it meanwhile).
SUPERSEDED_AFTER = timedelta(hours=1)
FAILED_MESSAGE = "生成文档时出错，请稍后重试；如仍失败，请联系系统管理员。"
BROKER_DOWN_MESSAGE = "后台生成服务暂时不可用，请稍后重试。"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of kept document.

    ``build(params, user) -> (content, filename)`` makes it (the app's existing builder; an
    ``ApplicationError`` is shown to the person as it is);
    ``may(user, params) -> bool`` says whether ``user`` may have it (checked on every request).
    """

    key: str
    label: str
    content_type: str
    build: Callable[[dict, object], tuple[bytes, str]]
    may: Callable[[object, dict], bool]


_kinds: dict[str, DocumentKind] = {}


def register_document(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.key] = kind
    return kind


def document_kind(key: str) -> DocumentKind:
    return _kinds[key]


def registered_kinds() -> list[DocumentKind]:
    return list(_kinds.values())


# --- Asking for a document -----------------------------------------------------------------------------


def params_key(params: dict) -> str:
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 200 else hashlib.sha256(text.encode()).hexdigest()


def request_document(*, kind: DocumentKind, params: dict, actor) -> GeneratedDocument:
    """The document for these parameters at the current data version: the kept one, or one queued
    now (exactly once however many ask at the same moment). Without a version, a new one each
    time. A lost build is restarted once it is ``STALE_AFTER`` old; a failed one only by
    ``restart_document`` (the page's button)."""
    version = writeversion.version()
    fields = {"params": params, "requested_by": actor if actor.is_authenticated else None}
    if version is None:
        document = GeneratedDocument.objects.create(
            kind=kind.key, params_key=params_key(params), data_version=None, **fields
        )
        created = True
    else:
        document, created = GeneratedDocument.objects.get_or_create(
            kind=kind.key, params_key=params_key(params), data_version=version, defaults=fields
        )
    if created:
        _enqueue(document)
        document.refresh_from_db()  # outside a transaction the message went at once (and ran, if eager)
    elif document.status in (Status.PENDING, Status.RUNNING) and is_stale(document):
        document = restart_document(document=document)
    elif document.is_ready and not _file_exists(document):
        logger.warning("generated document %s lost its file; building it again", document.pk)
        document = restart_document(document=document)
    return document


def is_stale(document: GeneratedDocument) -> bool:
    since = document.started_at or document.created_at
    return document.status in (Status.PENDING, Status.RUNNING) and since < timezone.now() - STALE_AFTER


def _file_exists(document: GeneratedDocument) -> bool:
    return bool(document.file) and document.file.storage.exists(document.file.name)


def restart_document(*, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed, lost or stale build again (once: the row is locked while it is reset)."""
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.is_ready and _file_exists(locked):
            return locked
        if locked.status in (Status.PENDING, Status.RUNNING) and not is_stale(locked):
            return locked
        GeneratedDocument.objects.filter(pk=locked.pk).update(
            status=Status.PENDING, error="", started_at=None, finished_at=None, created_at=timezone.now()
        )
        _enqueue(locked)
    document.refresh_from_db()
    return document


def _enqueue(document: GeneratedDocument) -> None:
    from .tasks import build_generated_document

    def send() -> None:
        try:
            build_generated_document.delay(document.pk)
        except Exception:  # the broker is down: say so on the page; the button queues it again
            logger.exception("could not queue generated document %s", document.pk)
            GeneratedDocument.objects.filter(pk=document.pk, status=Status.PENDING).update(
                status=Status.FAILED, error=BROKER_DOWN_MESSAGE, finished_at=timezone.now()
            )

    transaction.on_commit(send)


# --- Building it (the Celery task calls this) -----------------------------------------------------------


def build_document(pk: int) -> str:
    """Claim the document (one worker only: a conditional update), make sure its version may stand
    (else take it away), build it, keep the file, and drop what is past keeping. Returns its status."""
    now = timezone.now()
    claimed = (
        GeneratedDocument.objects.filter(pk=pk)
        .filter(Q(status=Status.PENDING) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER))
        .update(status=Status.RUNNING, started_at=now)
    )
    if not claimed:
        return "skipped"
    document = GeneratedDocument.objects.select_related("requested_by").get(pk=pk)
    if document.data_version is not None and writeversion.settled_version() is None:
        # A write counted in the version may not be committed yet, so this build might not see it:
        # the document stays for those who wait for it, and is offered to no other request.
        GeneratedDocument.objects.filter(pk=pk).update(data_version=None)
        document.data_version = None
    try:
        kind = document_kind(document.kind)
        content, filename = kind.build(document.params, document.requested_by)
    except ApplicationError as error:
        return _fail(document, error.message)
    except Exception:
        logger.exception("building generated document %s (%s %s) failed", pk, document.kind, document.params_key)
        return _fail(document, FAILED_MESSAGE)
    document.file.save(f"{document.kind}-{document.pk}{_suffix(filename)}", ContentFile(content), save=False)
    GeneratedDocument.objects.filter(pk=pk).update(
        status=Status.READY,
        file=document.file.name,
        filename=filename,
        content_type=kind.content_type,
        error="",
        finished_at=timezone.now(),
    )
    drop_old_documents()
    return Status.READY


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[1] if "." in filename else ""


def _fail(document: GeneratedDocument, message: str) -> str:
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )
    return Status.FAILED


def drop_old_documents() -> int:
    """Delete (file and row) the documents past keeping: finished ``KEEP_FOR`` ago; finished
    ``SUPERSEDED_AFTER`` ago when a newer one of the same kind and parameters is ready; builds
    lost ``KEEP_FOR`` ago. Returns how many went."""
    now = timezone.now()
    newer_ready = GeneratedDocument.objects.filter(
        kind=OuterRef("kind"), params_key=OuterRef("params_key"), status=Status.READY, pk__gt=OuterRef("pk")
    )
    old = GeneratedDocument.objects.filter(
        Q(status__in=FINISHED, finished_at__lt=now - KEEP_FOR)
        | Q(status__in=FINISHED, finished_at__lt=now - SUPERSEDED_AFTER) & Exists(newer_ready)
        | Q(status__in=(Status.PENDING, Status.RUNNING), created_at__lt=now - KEEP_FOR)
    )
    dropped = 0
    for document in old.only("pk", "file"):
        if document.file:
            document.file.delete(save=False)
        document.delete()
        dropped += 1
    return dropped


def took(document: GeneratedDocument) -> timedelta | None:
    if document.started_at and document.finished_at:
        return document.finished_at - document.started_at
    return None


__all__ = [
    "DocumentKind",
    "build_document",
    "drop_old_documents",
    "register_document",
    "request_document",
    "restart_document",
]
