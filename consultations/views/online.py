"""网络议政: the list, a topic with its opinions (and the form members and the public post with),
moderation, closing, adoption, the 意见汇总 as PDF and .docx; 远程协商's online check-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.documents import DOCX_TYPE
from cppcc_portal.errors import ApplicationError, ValidationFailed
from cppcc_portal.exports import attachment_response, pdf_bytes
from cppcc_portal.forms import run_service
from cppcc_portal.paging import render_list
from cppcc_portal.security import client_ip

from .. import documents, selectors, services
from ..enums import Moderation, OnlinePhase
from ..forms import OnlinePostForm, OnlineTopicForm, PublicCommentForm
from ..models import OnlinePost, OnlineTopic, Session
from .common import _stream


def online_list(request: HttpRequest) -> HttpResponse:
    """Open to everyone: the public sees the public topics, members theirs, staff all."""
    return render_list(
        request,
        "consultations/online_list.html",
        selectors.online_topics_for(request.user),
        20,
        can_manage=request.user.has_perm("consultations.manage"),
    )


def _visible_topic(request: HttpRequest, pk: int) -> OnlineTopic:
    topic = get_object_or_404(OnlineTopic.objects.select_related("topic", "outcome"), pk=pk)
    if not request.user.has_perm("consultations.see_online_topic", topic):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied
    return topic


class _LoginRequired(Exception):
    pass


def online_topic(request: HttpRequest, pk: int) -> HttpResponse:
    """The topic, its opinions and, for whoever may write, the form (POSTed here, field ``text``)."""
    try:
        topic = _visible_topic(request, pk)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    user = request.user
    as_member = (
        user.is_authenticated and getattr(user, "member", None) is not None and services.online.may_post(user, topic)
    )
    can_manage = user.has_perm("consultations.manage")
    # Staff (and the admin, who passes every rule) moderate; they do not comment as the public.
    as_public = not as_member and not can_manage and user.has_perm("consultations.comment_online", topic)
    form = None
    status = 200
    if request.method == "POST":
        if not (as_member or as_public):
            raise PermissionDenied
        form = (OnlinePostForm if as_member else PublicCommentForm)(request.POST)
        if form.is_valid():
            try:
                if as_member:
                    parent = None
                    if form.cleaned_data.get("parent") is not None:
                        parent = OnlinePost.objects.filter(pk=form.cleaned_data["parent"], topic=topic).first()
                        if parent is None:
                            raise ValidationFailed("要回复的意见不存在，请刷新页面后重试。")
                    services.online_post_create(actor=user, topic=topic, text=form.cleaned_data["text"], parent=parent)
                    messages.success(request, "意见已发表。")
                else:
                    services.online_comment_create(
                        actor=user,
                        topic=topic,
                        text=form.cleaned_data["text"],
                        name=form.cleaned_data["name"],
                        address=client_ip(request),
                    )
                    messages.success(request, "留言已提交，经工作人员审核后显示。")
                return redirect(topic)
            except services.Throttled as error:
                messages.error(request, error.message)
                status = 429
            except ApplicationError as error:
                messages.error(request, error.message)
    phase = topic.phase()
    can_write = (as_member and phase == OnlinePhase.OPEN) or (as_public and phase == OnlinePhase.OPEN)
    if form is None and can_write:
        form = OnlinePostForm() if as_member else PublicCommentForm()
    context = {
        "topic": topic,
        "phase": phase,
        "threads": selectors.online_threads(topic),
        "form": form if can_write or request.method == "POST" else None,
        "as_member": as_member,
        "as_public": as_public,
        "can_manage": can_manage,
        "can_summary": topic.closed_at and user.has_perm("consultations.see_online_summary", topic),
        "queue": selectors.online_moderation_queue(topic) if can_manage else [],
        "invited": list(topic.members.select_related("position").order_by("position__rank", "name"))
        if can_manage
        else [],
    }
    return render(request, "consultations/online_topic.html", context, status=status)


@permission_required("consultations.manage")
def online_new(request: HttpRequest) -> HttpResponse:
    form = OnlineTopicForm(request.POST or None, request.FILES or None, initial={"topic": request.GET.get("topic")})
    return _topic_form(request, form, title="发起网络议政", back=reverse("consultations:online-list"))


@permission_required("consultations.manage", fn=objectgetter(OnlineTopic, "pk"))
def online_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(OnlineTopic, pk=pk)
    form = OnlineTopicForm(request.POST or None, request.FILES or None, instance=OnlineTopic.objects.get(pk=pk))
    return _topic_form(request, form, title=f"修改网络议政：{topic.title}", back=topic.get_absolute_url(), topic=topic)


def _topic_form(request, form, *, title: str, back: str, topic: OnlineTopic | None = None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        if data.get("attachment") is None:
            data.pop("attachment", None)  # nothing uploaded: keep what is there
        elif data["attachment"] is False:
            data["attachment"] = ""  # 清除 ticked
        saved = run_service(
            request,
            services.online_topic_save,
            "网络议政已保存，受邀委员已收到通知。",
            data=data,
            members=members,
            topic=topic,
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "consultations/form.html",
        {"title": title, "form": form, "back": back, "multipart": True},
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(OnlinePost, "pk"))
def online_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(OnlinePost.objects.select_related("topic"), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in Moderation.values:
        messages.error(request, "请选择通过或不通过。")
    else:
        done = "留言已通过审核，现已显示。" if decision == Moderation.APPROVED else "留言未通过审核，不会显示。"
        run_service(request, services.online_post_moderate, done, post=post, decision=decision)
    return redirect(post.topic)


@require_POST
@permission_required("consultations.manage", fn=objectgetter(OnlineTopic, "pk"))
def online_close(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(OnlineTopic, pk=pk)
    run_service(request, services.online_topic_close, "网络议政已结束，意见汇总已形成协商成果。", topic=topic)
    return redirect(topic)


@require_POST
@permission_required("consultations.manage", fn=objectgetter(OnlinePost, "pk"))
def online_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(OnlinePost.objects.select_related("topic"), pk=pk)
    adopted = request.POST.get("adopted") != "0"
    run_service(
        request,
        services.online_post_adopt,
        "已标记采纳，并计入该委员履职记录。" if adopted else "已撤销采纳。",
        post=post,
        adopted=adopted,
    )
    return redirect(f"{post.topic.get_absolute_url()}#post-{post.pk}")


def _summary_topic(request: HttpRequest, pk: int) -> OnlineTopic:
    topic = get_object_or_404(OnlineTopic.objects.select_related("outcome"), pk=pk)
    if not request.user.has_perm("consultations.see_online_summary", topic):
        raise PermissionDenied
    if not topic.closed_at:
        raise Http404("意见汇总尚未形成。")
    return topic


@permission_required("consultations.browse_online")
def online_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _summary_topic(request, pk)
    html = documents.summary_html(topic, selectors.online_summary_posts(topic))
    return attachment_response(pdf_bytes(request, html), f"{topic.title}意见汇总.pdf", "application/pdf")


@permission_required("consultations.browse_online")
def online_summary_docx(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _summary_topic(request, pk)
    content = documents.summary_docx(topic, selectors.online_summary_posts(topic))
    return attachment_response(content, f"{topic.title}意见汇总.docx", DOCX_TYPE)


def online_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        topic = _visible_topic(request, pk)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    return _stream(topic.attachment)


@require_POST
@permission_required("consultations.online_checkin", fn=objectgetter(Session, "pk"))
def online_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """远程协商: the member clicks 在线签到 on the session page during the session."""
    session = get_object_or_404(Session, pk=pk)
    try:
        result = services.checkin_online(actor=request.user, session=session)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, result.message)
    return redirect(session)
