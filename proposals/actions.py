"""What each workflow action's page asks for and which service it calls.

``ACTION_PAGES[action]`` = (form class, perform(proposal, user, cleaned_data) -> success message).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cppcc_portal.deadlines import policy_for, rule_text

from . import forms, services
from .models import ProposalSettings


@dataclass(frozen=True)
class ActionPage:
    form: type[forms.ActionForm]
    perform: Callable[..., str]
    # Text above the form; a callable when it quotes a number staff can change (a policy).
    intro: str | Callable[[], str] = ""

    @property
    def intro_text(self) -> str:
        return self.intro() if callable(self.intro) else self.intro


def period_text(clock: str) -> str:
    """A clock's length under the policy in force: “1个月”, “15个工作日”."""
    policy = policy_for(clock)
    return f"{policy.length}{policy.get_unit_display()}"


def _assign_intro() -> str:
    return f"默认办理期限为{rule_text('proposal.handling')}。"


def _extension_intro() -> str:
    return f"办理期限合计不超过{ProposalSettings.get().max_handling_months}个月。"


def _rehandle_intro() -> str:
    return f"承办单位将在{period_text('proposal.rehandling')}内重新办理并再次答复。"


def _kw(proposal, user, data) -> dict:
    kwargs = {"proposal": proposal, "actor": user, "version": data["version"]}
    if "assignment" in data:
        kwargs["assignment"] = data["assignment"]
    return kwargs


def _fields(data: dict, names) -> dict:
    """The named fields of a form's cleaned data, as keyword arguments for a service."""
    return {name: data[name] for name in names}


def _calling(service: Callable[..., object], *fields: str, done: str) -> Callable[..., str]:
    """A page's perform: ``service`` with the form's named ``fields`` as they are, ``done`` as the message."""

    def perform(proposal, user, data) -> str:
        service(**_kw(proposal, user, data), **_fields(data, fields))
        return done

    return perform


def _cosign(p, u, d):
    services.proposal_cosign(**_kw(p, u, d), decision=d["decision"], note=d["note"])
    return "已确认附议。" if d["decision"] == "confirm" else "已谢绝附议。"


_confirm = _calling(services.proposal_confirm_collective, "note", done="已确认，提案单位现在可以提交这份集体提案。")
_submit = _calling(services.proposal_submit, done="提案已提交，等待审查。")
_withdraw = _calling(services.proposal_withdraw, "note", done="提案已撤回。")


def _register(p, u, d):
    result = services.proposal_register(**_kw(p, u, d), note=d["note"])
    return f"已立案，编号：{result.number}。"


_return = _calling(services.proposal_return, "reason", done="已退回提案人修改。")
_reject = _calling(
    services.proposal_reject, "reason", "note", "consent", "conversion_kind", done="已作不予立案处理，并告知提案人。"
)


def _merge(p, u, d):
    services.proposal_merge(**_kw(p, u, d), target=d["target"], note=d["note"])
    return f"已并入{d['target'].number}。"


def _assign(p, u, d):
    services.proposal_assign(
        **_kw(p, u, d),
        lead_unit=d["lead_unit"],
        co_units=list(d["co_units"]),
        split_units=list(d["split_units"]),
        note=d["note"],
    )
    return "已交办，承办单位已收到通知。"


_accept = _calling(services.assignment_accept, done="已签收，请按期办理。")
_request_reassign = _calling(services.assignment_request_reassign, "reason", done="调整申请已提交，等待提案委审批。")


def _decide_reassign(p, u, d):
    services.assignment_decide_reassign(**_kw(p, u, d), approve=d["decision"] == "approve", note=d["note"])
    return "已同意调整，请重新交办。" if d["decision"] == "approve" else "已不同意调整。"


_request_extension = _calling(services.assignment_request_extension, "months", "reason", done="延期申请已提交。")


def _decide_extension(p, u, d):
    services.assignment_decide_extension(**_kw(p, u, d), approve=d["decision"] == "approve", note=d["note"])
    return "已审批延期申请。"


_contact = _calling(
    services.assignment_record_contact, "on", "method", "summary", "with_author", done="沟通记录已保存。"
)
_waive_contact = _calling(services.assignment_waive_contact, "note", done="已声明无需沟通，承办单位可直接答复。")
_override_views = _calling(services.assignment_override_views, "note", done="已决定不待会办意见，主办单位可以答复。")
_views = _calling(services.assignment_send_views, "views", done="会办意见已送主办单位。")


LETTER_FIELDS = ("letter_number", "letter_contact", "letter_phone", "letter_cc")
# What a reply carries, drafted or signed: its class, text, publication and letterhead entries.
REPLY_FIELDS = ("reply_class", "reply_text", "publishable", "withhold_reason", *LETTER_FIELDS)


_draft_reply = _calling(services.assignment_draft_reply, *REPLY_FIELDS, done="答复草稿已保存，已提请本单位负责人签发。")
_reply = _calling(services.assignment_reply, *REPLY_FIELDS, "letter", done="答复已签发，提案人已收到通知。")
_rate_quality = _calling(services.assignment_rate_quality, "rating", "comment", done="提案质量评价已保存。")
_key_leaders = _calling(services.proposal_set_key_leaders, "leader", "leading", "note", done="督办与领办领导已保存。")
_mark_excellent = _calling(services.proposal_mark_excellent, "is_excellent", "note", done="优秀提案评选结果已保存。")
_supervise = _calling(services.proposal_record_supervision, "kind", "on", "notes", "attendees", done="督办情况已记录。")
_followup = _calling(services.assignment_record_implemented, "note", done="已记录落实情况。")


def _evaluate(p, u, d):
    result = services.proposal_evaluate(
        **_kw(p, u, d),
        attitude=d["attitude"],
        satisfaction=d["satisfaction"],
        met_in_person=d["met_in_person"],
        comment=d["comment"],
    )
    return "评价已提交，提案已办结。" if result.state == "closed" else "评价已提交。"


_comment_reply = _calling(services.proposal_comment_reply, "comment", done="意见已提交。")
_rehandle = _calling(services.proposal_rehandle, "note", done="已要求承办单位重新办理。")
_close = _calling(services.proposal_close, "note", done="提案已办结。")


ACTION_PAGES: dict[str, ActionPage] = {
    "cosign": ActionPage(forms.CosignForm, _cosign, "请确认是否作为附议人联名提出此提案。"),
    "confirm": ActionPage(
        forms.ConfirmForm,
        _confirm,
        "集体提案以提案单位名义提出，须经单位负责人确认（签字）后方可提交；确认后如再修改，须重新确认。",
    ),
    "submit": ActionPage(forms.ActionForm, _submit, "提交后将进入立案审查，不能再修改。"),
    "withdraw": ActionPage(forms.ConfirmForm, _withdraw, "撤回后提案不再办理。"),
    "register": ActionPage(forms.ConfirmForm, _register, "立案后将按会次自动编号。"),
    "return": ActionPage(forms.ReturnForm, _return),
    "reject": ActionPage(forms.RejectForm, _reject),
    "merge": ActionPage(forms.MergeForm, _merge, "并案后本提案随所并入的提案办理，提案人都会收到答复。"),
    "assign": ActionPage(forms.AssignForm, _assign, _assign_intro),
    "accept": ActionPage(forms.ActionForm, _accept, "签收后请按期办理并在答复前与提案人沟通。"),
    "request-reassign": ActionPage(forms.ReasonForm, _request_reassign, "承办单位不得自行退回或转办，可申请调整。"),
    "decide-reassign": ActionPage(forms.DecisionForm, _decide_reassign),
    "request-extension": ActionPage(forms.ExtensionForm, _request_extension, _extension_intro),
    "decide-extension": ActionPage(forms.DecisionForm, _decide_extension),
    "contact": ActionPage(forms.ContactForm, _contact),
    "waive-contact": ActionPage(
        forms.ConfirmForm, _waive_contact, "承办单位答复前须与您沟通；您认为无需沟通的，可在此声明，单位即可直接答复。"
    ),
    "override-views": ActionPage(
        forms.NoteRequiredForm, _override_views, "会办单位尚未送达会办意见。说明理由后，主办单位可不再等待、直接答复。"
    ),
    "views": ActionPage(forms.ViewsForm, _views),
    "draft-reply": ActionPage(
        forms.DraftReplyForm, _draft_reply, "经办人起草答复和答复函信息，保存后由本单位负责人审核签发。"
    ),
    "reply": ActionPage(
        forms.ReplyForm,
        _reply,
        "由单位负责人签发。先沟通后答复：答复前须与第一提案人沟通并记录；主办单位须待会办单位的意见送达后答复。",
    ),
    "rate-quality": ActionPage(forms.QualityForm, _rate_quality),
    "key-leaders": ActionPage(
        forms.KeyLeadersForm,
        _key_leaders,
        "每件重点提案由一位主席会议成员督办；区委、区政府领导领办的，填写其职务和姓名。",
    ),
    "mark-excellent": ActionPage(
        forms.MarkExcellentForm, _mark_excellent, "评为优秀提案的，提案人和附议人计入履职记录。"
    ),
    "supervise": ActionPage(forms.SuperviseForm, _supervise, "督办情况记入提案办理过程，并列入重点提案办理情况报告。"),
    "followup": ActionPage(forms.NoteRequiredForm, _followup),
    "evaluate": ActionPage(
        forms.EvaluateForm,
        _evaluate,
        "征询意见表：请对每个承办单位的答复分别评价办理态度和办理结果，并说明承办单位是否与您见面沟通。",
    ),
    "comment-reply": ActionPage(
        forms.ReplyCommentForm, _comment_reply, "附议人可对答复提出意见；办理评价以第一提案人的评价为准。"
    ),
    "rehandle": ActionPage(forms.ConfirmForm, _rehandle, _rehandle_intro),
    "close": ActionPage(forms.NoteRequiredForm, _close),
}
