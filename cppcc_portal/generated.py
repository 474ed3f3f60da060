"""Large documents built in the background and kept (提案汇编, 重点提案报告, 统计报告 PDF, 交办单, 履职档案).

An app registers a ``DocumentKind`` (what it is called, who may have it, how it is built, which
tables it reads) from a module its ``AppConfig.ready()`` imports. Its download view then calls
``offer(request, kind, params)``:

* the document's **data version** is read: the summed weight of ``DataWrite`` rows for the tables
  the kind reads. A trigger on each of those tables adds a row for every write statement
  (statement-level on PostgreSQL, per row on SQLite; installed after every ``migrate``), in the
  writer's transaction, so a version only counts committed writes and every commit raises it;
* one ``GeneratedDocument`` per (kind, parameters, version) exists (a unique constraint: a double
  click, or two people at once, start one build). When it is ready its file is served at once;
  otherwise the page shows "正在生成…" and polls (htmx) until the link is there;
* the Celery task ``build_generated_document`` builds it with the app's own builder. A document
  built after the version was read holds data at least that new, never older.

Who may download is asked of the kind on every request, poll and download (object level).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from .errors import ApplicationError
from .models import DataWrite, GeneratedDocument

logger = logging.getLogger(__name__)

Status = GeneratedDocument.Status
# A build pending or running this long is taken to be lost (its worker gone, the broker down)
# and is started again by the next request.
STALE_AFTER = timedelta(minutes=30)
# A kept document nobody asked to make again for this long is dropped when another of its kind is made.
KEEP_FOR = timedelta(days=30)
# Compaction folds the write log once it has this many rows, so reading a version stays cheap.
COMPACT_AT = 500
FAILED_MESSAGE = "生成文档时出错，请稍后重试；如仍失败，请联系系统管理员。"
BROKER_DOWN_MESSAGE = "后台生成服务暂时不可用，请稍后重试。"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of kept document.

    ``build(params, user) -> (content, filename)`` makes it (the app's existing builder);
    ``may(user, params) -> bool`` says whether ``user`` may have it (checked on every request);
    ``reads`` names what it is made from: ``"app_label"`` (every model of the app but the user
    model and its history, written at every sign-in),
    ``"app_label.Model"``, or ``"app_label.Model:column,column"`` (only updates of those columns
    count, e.g. a user's name but not their last login). Many-to-many tables of a named model count too.
    """

    key: str
    label: str
    content_type: str
    build: Callable[[dict, object], tuple[bytes, str]]
    may: Callable[[object, dict], bool]
    reads: tuple[str, ...]


_kinds: dict[str, DocumentKind] = {}


def register_document(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.key] = kind
    return kind


def document_kind(key: str) -> DocumentKind:
    return _kinds[key]


def registered_kinds() -> list[DocumentKind]:
    return list(_kinds.values())


# --- Which tables, and the triggers on them ---------------------------------------------------------


def _model_tables(model) -> list[str]:
    tables = [model._meta.db_table]
    tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many]
    return tables


def watched_tables(reads: Iterable[str]) -> dict[str, frozenset[str] | None]:
    """{table: the columns whose updates count, or None for every write}."""
    watched: dict[str, frozenset[str] | None] = {}

    def add(table: str, columns: frozenset[str] | None) -> None:
        if table in watched and (watched[table] is None or columns is None):
            watched[table] = None
        else:
            watched[table] = (watched.get(table) or frozenset()) | (columns or frozenset()) or None

    for spec in reads:
        name, _, columns = spec.partition(":")
        if name in ("cppcc_portal", "cppcc_portal.DataWrite", "cppcc_portal.GeneratedDocument"):
            raise ValueError(f"{spec}: the write log and the kept documents cannot be watched")
        if "." not in name:
            user_model = apps.get_model(settings.AUTH_USER_MODEL)
            for model in apps.get_app_config(name).get_models():
                if model is user_model or getattr(model, "instance_type", None) is user_model:
                    continue
                for table in _model_tables(model):
                    add(table, None)
            continue
        model = apps.get_model(name)
        if columns:
            fields = [model._meta.get_field(c.strip()) for c in columns.split(",")]
            add(model._meta.db_table, frozenset(f.column for f in fields))
        else:
            for table in _model_tables(model):
                add(table, None)
    return watched


def all_watched_tables() -> dict[str, frozenset[str] | None]:
    return watched_tables(spec for kind in _kinds.values() for spec in kind.reads)


def install_triggers(sender=None, using: str = "default", **_kwargs) -> None:
    """Put the write-counting trigger on every table a registered kind reads (idempotent; run after
    every ``migrate``, so tables added later are covered as well)."""
    from django.db import connections

    if sender is not None and sender.label != "cppcc_portal":
        return  # post_migrate is sent once per app; once is enough

    conn = connections[using]
    log = DataWrite._meta.db_table
    existing = set(conn.introspection.table_names())
    if log not in existing:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION generated_docs_write() RETURNS trigger LANGUAGE plpgsql AS"
                f" $$ BEGIN INSERT INTO {log} (table_name, weight) VALUES (TG_TABLE_NAME, 1); RETURN NULL; END $$"
            )
        for table, columns in all_watched_tables().items():
            if table not in existing:
                continue
            for statement in _trigger_sql(conn, log, table, columns):
                cursor.execute(statement)


def _trigger_sql(conn, log: str, table: str, columns: frozenset[str] | None) -> list[str]:
    quote, vendor = conn.ops.quote_name, conn.vendor
    if vendor == "postgresql":
        update = "UPDATE" if columns is None else "UPDATE OF " + ", ".join(quote(c) for c in sorted(columns))
        return [
            f"CREATE OR REPLACE TRIGGER generated_docs_write AFTER INSERT OR {update} OR DELETE OR TRUNCATE"
            f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION generated_docs_write()"
        ]
    if vendor == "sqlite":
        update = "UPDATE" if columns is None else "UPDATE OF " + ", ".join(quote(c) for c in sorted(columns))
        body = f"BEGIN INSERT INTO {log} (table_name, weight) VALUES ('{table}', 1); END"
        return [
            f"CREATE TRIGGER IF NOT EXISTS {quote(f'generated_docs_{event}_{table}')} AFTER {sql} ON {quote(table)} {body}"
            for event, sql in (("insert", "INSERT"), ("update", update), ("delete", "DELETE"))
        ]
    return []  # another database: no triggers, so documents are built afresh on each request (below)


def triggers_supported() -> bool:
    return connection.vendor in ("postgresql", "sqlite")


# --- The data version ---------------------------------------------------------------------------------


def data_version(kind: DocumentKind) -> int | None:
    """The summed weight of the writes to the kind's tables (None where writes are not counted)."""
    if not triggers_supported():
        return None
    tables = list(watched_tables(kind.reads))
    found = DataWrite.objects.filter(table_name__in=tables).aggregate(total=Sum("weight"), rows=models.Count("id"))
    if (found["rows"] or 0) >= COMPACT_AT:
        compact_writes()
    return found["total"] or 0


def compact_writes() -> None:
    """Fold each table's log rows into one with their summed weight, in one step that never lowers a
    table's sum: on PostgreSQL one statement inserts exactly what it deleted (rows committed meanwhile
    stay for the next time); SQLite has one writer at a time, so a transaction suffices."""
    log = DataWrite._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {log} RETURNING table_name, weight)"
                f" INSERT INTO {log} (table_name, weight) SELECT table_name, SUM(weight) FROM gone GROUP BY table_name"
            )
        elif connection.vendor == "sqlite":
            with transaction.atomic():
                totals = list(
                    DataWrite.objects.values("table_name").annotate(total=Sum("weight"), top=models.Max("id"))
                )
                for row in totals:
                    DataWrite.objects.filter(table_name=row["table_name"], id__lte=row["top"]).delete()
                DataWrite.objects.bulk_create(DataWrite(table_name=r["table_name"], weight=r["total"]) for r in totals)


# --- Asking for a document -----------------------------------------------------------------------------


def params_key(params: dict) -> str:
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 200 else hashlib.sha256(text.encode()).hexdigest()


def request_document(*, kind: DocumentKind, params: dict, actor) -> GeneratedDocument:
    """The document for these parameters at the current data version: the kept one, or one queued
    now (exactly once however many ask at the same moment). A lost or failed build is restarted
    only by ``restart_document`` or once it is ``STALE_AFTER`` old."""
    version = data_version(kind)
    if version is None:  # writes are not counted on this database: every request is a new version
        version = -int(timezone.now().timestamp() * 1_000_000)
    document, created = GeneratedDocument.objects.get_or_create(
        kind=kind.key,
        params_key=params_key(params),
        data_version=version,
        defaults={"params": params, "requested_by": actor if actor.is_authenticated else None},
    )
    if created:
        _enqueue(document)
        document.refresh_from_db()  # outside a transaction the message went at once (and ran, if eager)
    elif document.status in (Status.PENDING, Status.RUNNING) and _is_stale(document):
        restart_document(document=document)
    elif document.is_ready and not document.file.storage.exists(document.file.name):
        logger.warning("generated document %s lost its file; building it again", document.pk)
        restart_document(document=document)
    return document


def _is_stale(document: GeneratedDocument) -> bool:
    since = document.started_at or document.created_at
    return since < timezone.now() - STALE_AFTER


def restart_document(*, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed or lost build again (once: the row is locked while it is reset)."""
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == Status.READY and locked.file and locked.file.storage.exists(locked.file.name):
            return locked
        if locked.status in (Status.PENDING, Status.RUNNING) and not _is_stale(locked):
            return locked
        locked.status, locked.error, locked.started_at, locked.finished_at = Status.PENDING, "", None, None
        locked.created_at = timezone.now()
        GeneratedDocument.objects.filter(pk=locked.pk).update(
            status=Status.PENDING, error="", started_at=None, finished_at=None, created_at=locked.created_at
        )
        _enqueue(locked)
    document.refresh_from_db()
    return document


def _enqueue(document: GeneratedDocument) -> None:
    from .tasks import build_generated_document

    def send() -> None:
        try:
            build_generated_document.delay(document.pk)
        except Exception:  # the broker is down: say so on the page; the next request may retry
            logger.exception("could not queue generated document %s", document.pk)
            GeneratedDocument.objects.filter(pk=document.pk, status=Status.PENDING).update(
                status=Status.FAILED, error=BROKER_DOWN_MESSAGE, finished_at=timezone.now()
            )

    transaction.on_commit(send)


# --- Building it (the Celery task calls this) -----------------------------------------------------------


def build_document(pk: int) -> str:
    """Claim the document (one worker only: a conditional update), build it, keep the file, and
    drop older versions of the same document. Returns its status."""
    now = timezone.now()
    claimed = (
        GeneratedDocument.objects.filter(pk=pk)
        .filter(Q(status=Status.PENDING) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER))
        .update(status=Status.RUNNING, started_at=now)
    )
    if not claimed:
        return "skipped"
    document = GeneratedDocument.objects.select_related("requested_by").get(pk=pk)
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
    _drop_older(document)
    if triggers_supported():
        compact_writes()
    return Status.READY


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[1] if "." in filename else ""


def _fail(document: GeneratedDocument, message: str) -> str:
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )
    return Status.FAILED


def _drop_older(document: GeneratedDocument) -> None:
    """Older versions of the same document, finished, are no longer served: their files go; so do
    finished documents of the kind not made for ``KEEP_FOR`` (e.g. a statistics report of a past day)."""
    finished = GeneratedDocument.objects.filter(kind=document.kind).exclude(status__in=(Status.PENDING, Status.RUNNING))
    older = finished.filter(
        Q(params_key=document.params_key, data_version__lt=document.data_version)
        | Q(finished_at__lt=timezone.now() - KEEP_FOR)
    )
    for old in older:
        if old.file:
            old.file.delete(save=False)
        old.delete()


def took(document: GeneratedDocument) -> timedelta | None:
    if document.started_at and document.finished_at:
        return document.finished_at - document.started_at
    return None


__all__ = ["DocumentKind", "build_document", "data_version", "register_document", "request_document"]
