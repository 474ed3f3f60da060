"""The session documents that take long at a district's size, built in the background and kept
(``cppcc_portal.generated``): the 提案汇编 and 答复汇编, the 重点提案办理情况 report and each unit's 交办单."""

from __future__ import annotations

from cppcc_portal.errors import ApplicationError
from cppcc_portal.generated import DocumentKind, register_document
from members.models import Organization, PlenarySession

from . import documents, selectors


def _session(params: dict) -> PlenarySession:
    session = PlenarySession.objects.filter(pk=params["session"]).first()
    if session is None:
        raise ApplicationError("该会次已不存在，无法生成文档。")
    return session


def _unit(params: dict) -> Organization:
    unit = Organization.objects.filter(pk=params["unit"]).first()
    if unit is None:
        raise ApplicationError("该承办单位已不存在，无法生成交办单。")
    return unit


def _compilation(params: dict, user) -> tuple[bytes, str]:
    session = _session(params)
    content = documents.compilation_docx(session, selectors.session_registered(session))
    return content, f"{session.short_name}提案汇编.docx"


def _replies(params: dict, user) -> tuple[bytes, str]:
    session = _session(params)
    content = documents.replies_docx(session, selectors.session_registered(session))
    return content, f"{session.short_name}提案答复汇编.docx"


def _key_report_pdf(params: dict, user) -> tuple[bytes, str]:
    session = _session(params)
    content = documents.key_report_pdf_bytes(session, selectors.session_key_proposals(session))
    return content, f"{session.short_name}重点提案办理情况.pdf"


def _key_report_docx(params: dict, user) -> tuple[bytes, str]:
    session = _session(params)
    content = documents.key_report_docx(session, selectors.session_key_proposals(session))
    return content, f"{session.short_name}重点提案办理情况.docx"


def _handover(params: dict, user) -> tuple[bytes, str]:
    session, unit = _session(params), _unit(params)
    content = documents.handover_pdf_bytes(
        unit=unit, session=session, assignments=selectors.handover_assignments(unit=unit, session=session)
    )
    return content, f"提案交办单-{session.short_name}-{unit.name}.pdf"


def _compiles(user, params: dict) -> bool:
    return user.has_perm("proposals.compile_documents")


def _sees_key(user, params: dict) -> bool:
    return user.has_perm("proposals.see_key_proposals")


def _prints_handover(user, params: dict) -> bool:
    unit = Organization.objects.filter(pk=params.get("unit")).first()
    return unit is not None and user.has_perm("proposals.print_handover", unit)


COMPILATION = register_document(
    DocumentKind("proposals.compilation", "提案汇编", documents.DOCX_TYPE, _compilation, _compiles)
)
REPLIES = register_document(DocumentKind("proposals.replies", "提案答复汇编", documents.DOCX_TYPE, _replies, _compiles))
KEY_REPORT_PDF = register_document(
    DocumentKind("proposals.key_report_pdf", "重点提案办理情况（PDF）", "application/pdf", _key_report_pdf, _sees_key)
)
KEY_REPORT_DOCX = register_document(
    DocumentKind(
        "proposals.key_report_docx", "重点提案办理情况（Word）", documents.DOCX_TYPE, _key_report_docx, _sees_key
    )
)
HANDOVER = register_document(
    DocumentKind("proposals.handover", "提案交办单", "application/pdf", _handover, _prints_handover)
)
