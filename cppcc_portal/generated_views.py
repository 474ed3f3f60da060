"""Pages of the kept documents (``cppcc_portal.generated``): a download view of an app hands its
document to ``offer``; the "正在生成…" page polls ``document_status`` (htmx) until the link is there.
Every request asks the document's kind whether this user may have it."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .generated import DocumentKind, document_kind, is_stale, request_document, restart_document, took
from .models import GeneratedDocument

# How often the waiting page asks again.
POLL_SECONDS = 2


def offer(request: HttpRequest, kind_key: str, params: dict) -> HttpResponse:
    """The document at once when it is kept for the current data (or was built at once: an eager
    task outside a transaction), else the page that waits for it (queuing its build once). The
    calling view has looked up its objects; the kind checks the user."""
    kind = document_kind(kind_key)
    _require(request, kind, params)
    document = request_document(kind=kind, params=params, actor=request.user)
    if document.is_ready:
        return _file_response(document)
    return _page(request, kind, document)


def _require(request: HttpRequest, kind: DocumentKind, params: dict) -> None:
    if not kind.may(request.user, params):
        raise PermissionDenied


def _document(request: HttpRequest, pk: int) -> tuple[DocumentKind, GeneratedDocument]:
    document = get_object_or_404(GeneratedDocument, pk=pk)
    try:
        kind = document_kind(document.kind)
    except KeyError:
        raise Http404("没有这种文档。") from None
    _require(request, kind, document.params)
    return kind, document


def _page(request: HttpRequest, kind: DocumentKind, document: GeneratedDocument) -> HttpResponse:
    context = {"kind": kind, "document": document, "poll_seconds": POLL_SECONDS, "took": took(document)}
    if request.headers.get("HX-Request"):
        return render(request, "cppcc_portal/partials/generated_status.html", context)
    return render(request, "cppcc_portal/generated_document.html", context)


def _file_response(document: GeneratedDocument) -> HttpResponse:
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在，请重新生成。") from None
    response = FileResponse(handle, content_type=document.content_type)
    # Named as every other download of the portal (cppcc_portal.exports.attachment_response).
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    return response


@login_required
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: where the build stands (the htmx poll answers with the fragment; a build lost for
    ``STALE_AFTER`` is started again); POST: start a failed build again."""
    kind, document = _document(request, pk)
    if request.method == "POST":
        if document.is_failed:
            restart_document(document=document)
            messages.info(request, f"已重新开始生成{kind.label}。")
        return redirect("generated-document", pk=pk)
    if is_stale(document):
        document = restart_document(document=document)
    return _page(request, kind, document)


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    _kind, document = _document(request, pk)
    if not document.is_ready:
        return redirect("generated-document", pk=pk)
    return _file_response(document)
