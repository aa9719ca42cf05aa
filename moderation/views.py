"""Flags, the review queue, moderation actions and the personal safety tools."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from circles import permissions
from circles.views import add_service_errors, circle_for, error_text

from . import selectors, services
from .models import Flag, WatchedWord


class FlagForm(forms.Form):
    kind = forms.ChoiceField(choices=Flag.Kind.choices, widget=forms.HiddenInput)
    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the moderators should know? (optional)",
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag(request):
    data = request.POST if request.method == "POST" else request.GET
    content, circle = services.content_get(data.get("kind", ""), data.get("id", ""))
    if not permissions.can_read_circle(request.user, circle):
        raise Http404("No such item.")
    if content.status == "held" and not permissions.can_see_item(request.user, content):
        raise Http404("No such item.")  # held words are the author's and moderators'
    form = FlagForm(data if request.method == "POST" else None, initial=data.dict())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_create(
                    reporter=request.user,
                    kind=form.cleaned_data["kind"],
                    object_id=form.cleaned_data["id"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Thank you. The moderators will look at it; you will hear the outcome.",
                )
                return redirect(services.content_url(content))
        status = 400
    context = {
        "form": form,
        "content": content,
        "circle": circle,
        "kind": data.get("kind"),
    }
    return render(request, "moderation/flag.html", context, status=status)


def review_queue(request, slug):
    circle = circle_for(request, slug)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    permissions.check_moderate_circle(request.user, circle)
    context = {
        "circle": circle,
        "rows": selectors.review_queue(circle=circle),
        "audit": selectors.audit_log(circle=circle),
        **selectors.watched_words(circle=circle),
        "word_actions": WatchedWord.Action.choices,
    }
    return render(request, "moderation/queue.html", context)


@login_required
def staff_index(request):
    if not permissions.is_staff(request.user):
        raise PermissionDenied("Only site staff see every circle's queue.")
    return render(
        request,
        "moderation/index.html",
        {"circles": selectors.circles_with_open_flags()},
    )


ACTIONS = {
    "remove": (services.content_remove, "Removed. The reason shows in its place."),
    "restore": (services.content_restore, "Restored."),
    "dismiss": (services.flags_dismiss, "Flags dismissed; the item stays."),
    "approve": (
        lambda **kw: services.content_approve(
            **{k: v for k, v in kw.items() if k != "reason"}
        ),
        "Approved: everyone can see it now.",
    ),
    "warn": (services.author_warn, "The author has been warned privately."),
}


@login_required
@require_POST
def content_action(request, kind, object_id, action):
    if action not in ACTIONS or kind not in ("thread", "post", "message"):
        raise Http404("No such action.")
    service, done = ACTIONS[action]
    content, circle = services.content_get(kind, object_id)
    try:
        service(
            actor=request.user,
            kind=kind,
            object_id=object_id,
            reason=request.POST.get("reason", "")[:500],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") or f"/circles/{circle.slug}/moderation/")


@login_required
@require_POST
def thread_lock(request, object_id, locked):
    thread = services.thread_lock(
        actor=request.user,
        thread_id=object_id,
        locked=locked,
        reason=request.POST.get("reason", "")[:500],
    )
    messages.success(request, "Thread locked." if locked else "Thread unlocked.")
    return redirect(request.POST.get("next") or thread.get_absolute_url())


@login_required
@require_POST
def words(request, slug):
    circle = circle_for(request, slug)
    try:
        if request.POST.get("remove"):
            services.watched_word_remove(
                actor=request.user, circle=circle, word_id=int(request.POST["remove"])
            )
            messages.success(request, "Watched word removed.")
        else:
            services.watched_word_add(
                actor=request.user,
                circle=circle,
                phrase=request.POST.get("phrase", ""),
                action=request.POST.get("action", ""),
            )
            messages.success(request, "Watched word saved.")
    except (ValidationError, ValueError) as exc:
        messages.error(
            request,
            error_text(exc) if isinstance(exc, ValidationError) else "Bad request.",
        )
    return redirect(f"/circles/{circle.slug}/moderation/#words")


@login_required
@require_POST
def not_ok(request, slug):
    circle = circle_for(request, slug)
    permissions.check_read_circle(request.user, circle)
    services.member_not_ok(user=request.user, circle=circle)
    request.session["show_crisis"] = True
    request.session["not_ok"] = True
    return redirect(circle)


@login_required
@require_POST
def ignore(request, user_id):
    try:
        person = services.ignore_add(user=request.user, ignored_id=user_id)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"You will not see what {person.display_name} writes unless you open it. "
            "They are not told.",
        )
    return redirect(_back(request))


@login_required
@require_POST
def unignore(request, user_id):
    services.ignore_remove(user=request.user, ignored_id=user_id)
    messages.success(request, "You will see what they write again.")
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    return (
        target
        if target.startswith("/") and not target.startswith("//")
        else "/circles/"
    )
