"""Pages and form posts of private conversations. Thin: parse, call a service or a
selector, render. Anyone but the two people gets the 404 of a missing id."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from circles.http import circle_for
from community import input_guard
from community.accounts.models import User
from community.notifications import services as notifications
from moderation.safety.context import crisis_card_remember
from moderation.safety.crisis import dm_card

from . import selectors, services
from .errors import DMRefused
from .models import DirectMessageReport


def _conversation(request, conversation_id):
    try:
        return selectors.conversation_for(
            user=request.user, conversation_id=conversation_id
        )
    except DMRefused as refused:
        raise Http404(refused.detail) from refused


def _remember_crisis(request, level: str, posted: str, name: str = "", sent=None):
    """The card on the author's next page (the one crisis card, drawn by base.html),
    true to what happened to the words (`sent`: what was sent, or the refusal)."""
    if level:
        message = getattr(sent, "message", None)
        card = dm_card(
            level=level,
            posted=posted,
            recipient_name=name,
            item=f"dm:{message.pk}" if message is not None else "",
        )
        if getattr(sent, "crisis_said", ""):
            card["said"] = sent.crisis_said  # a check-in says who knows
        crisis_card_remember(request, card)


@login_required
@require_GET
def conversation_list(request):
    return render(
        request,
        "conversations/list.html",
        {"rows": selectors.conversations_of(user=request.user)},
    )


def _detail(request, conversation, *, error="", draft="", status=200):
    services.conversation_mark_read(user=request.user, conversation=conversation)
    notifications.notifications_clear_seen(
        user=request.user, urls=[conversation.get_absolute_url()]
    )
    context = {
        "conversation": conversation,
        "other": conversation.other(request.user),
        "dm_messages": selectors.conversation_messages(conversation=conversation),
        "reasons": [c for c in DirectMessageReport.Reason.choices if c[0] != "crisis"],
        "error": error,
        "draft": draft,
    }
    return render(request, "conversations/detail.html", context, status=status)


@login_required
@require_GET
def conversation_detail(request, conversation_id):
    return _detail(request, _conversation(request, conversation_id))


@login_required
@require_POST
def conversation_send(request, conversation_id):
    conversation = _conversation(request, conversation_id)
    body = request.POST.get("body", "")
    try:
        sent = services.dm_send(
            author=request.user,
            conversation=conversation,
            body=body,
            client_id=request.POST.get("client_id", "")[:64],
        )
    except DMRefused as refused:
        _remember_crisis(request, refused.crisis_level, "no", sent=refused)
        conversation.refresh_from_db()
        return _detail(
            request,
            conversation,
            error=refused.detail,
            draft=body,
            status=refused.status,
        )
    other = conversation.other(request.user)
    _remember_crisis(request, sent.crisis_level, "visible", other.display_name, sent)
    return redirect(conversation)


@login_required
@require_POST
def conversation_close(request, conversation_id):
    conversation = _conversation(request, conversation_id)
    services.conversation_close(actor=request.user, conversation=conversation)
    messages.success(
        request,
        "Conversation closed for both of you. You can both still read it; "
        "no more messages can be sent in it.",
    )
    return redirect(conversation)


@login_required
@require_POST
def conversation_report(request, conversation_id):
    conversation = _conversation(request, conversation_id)
    raw = request.POST.get("message", "")
    if input_guard.ascii_int(raw) is None:
        return _detail(
            request, conversation, error=input_guard.NOT_A_NUMBER, status=400
        )
    try:
        services.dm_report(
            reporter=request.user,
            message_id=input_guard.ascii_int(raw),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DMRefused as refused:
        if refused.status == 404:
            raise Http404(refused.detail) from refused
        return _detail(
            request, conversation, error=refused.detail, status=refused.status
        )
    except ValidationError as exc:
        return _detail(request, conversation, error=" ".join(exc.messages), status=400)
    messages.success(
        request,
        "Reported to the site's staff. They will read that message and a few "
        "around it, nothing else; the other person is not told.",
    )
    return redirect(conversation)


def _start_refused(request, refused: DMRefused, *, action: str, who: str):
    """A refused start: 404 as for a missing id, or the sentence with the text kept."""
    if refused.status == 404:
        raise Http404(refused.detail) from refused
    _remember_crisis(request, refused.crisis_level, "no", sent=refused)
    context = {
        "error": refused.detail,
        "draft": request.POST.get("body", ""),
        "action": action,
        "who": who,
    }
    return render(request, "conversations/start.html", context, status=refused.status)


@login_required
@require_POST
def check_in(request, slug, user_id):
    circle = circle_for(request, slug)
    member = User.objects.filter(pk=user_id).first()
    try:
        if member is None:
            raise selectors.not_found()
        sent = services.check_in_start(
            actor=request.user,
            circle=circle,
            member=member,
            body=request.POST.get("body"),
        )
    except DMRefused as refused:
        return _start_refused(
            request,
            refused,
            action=request.path,
            who=member.display_name if member else "",
        )
    _remember_crisis(request, sent.crisis_level, "visible", member.display_name, sent)
    return redirect(sent.message.conversation)


@login_required
@require_POST
def staff_check_in(request, user_id):
    """Site staff check in with the person of an open staff case."""
    member = User.objects.filter(pk=user_id).first()
    try:
        if member is None:
            raise selectors.not_found()
        sent = services.staff_check_in_start(
            actor=request.user, member=member, body=request.POST.get("body")
        )
    except DMRefused as refused:
        return _start_refused(
            request,
            refused,
            action=request.path,
            who=member.display_name if member else "",
        )
    _remember_crisis(request, sent.crisis_level, "visible", member.display_name, sent)
    return redirect(sent.message.conversation)


@login_required
@require_POST
def message_member(request, user_id):
    try:
        sent = services.message_start(
            sender=request.user, recipient_id=user_id, body=request.POST.get("body")
        )
    except DMRefused as refused:
        return _start_refused(request, refused, action=request.path, who="")
    other = sent.message.conversation.other(request.user)
    _remember_crisis(request, sent.crisis_level, "visible", other.display_name, sent)
    return redirect(sent.message.conversation)


@login_required
@require_GET
def staff_queue(request):
    try:
        rows = selectors.staff_queue(user=request.user)
    except DMRefused as refused:
        raise Http404(refused.detail) from refused
    return render(request, "conversations/staff.html", {"rows": rows})


@login_required
@require_POST
def staff_resolve(request, report_id):
    try:
        services.dm_report_resolve(actor=request.user, report_id=report_id)
    except DMRefused as refused:
        raise Http404(refused.detail) from refused
    messages.success(request, "Marked as handled; its messages are no longer shown.")
    return redirect("conversations_staff:queue")
