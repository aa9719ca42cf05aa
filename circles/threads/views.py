"""Thread pages, replies, asks and the threads panel of the circle page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from community.notifications import services as notifications
from community.resources.panels import ask_prompts
from moderation.safety.context import crisis_card_after_refusal, crisis_card_after_write

from .. import permissions
from ..http import add_service_errors, error_text, readable_circle_for
from ..memberships import selectors as membership_selectors
from ..models import ContentStatus, Post, Thread
from . import page, selectors, services
from .forms import ReplyForm, ThreadForm

THREADS_PER_PAGE = 20


def thread_list(request, slug):
    circle = readable_circle_for(request, slug)
    threads = selectors.thread_list_for(circle=circle, user=request.user)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "circles/thread_list.html", {"circle": circle, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request, slug):
    circle = readable_circle_for(request, slug)
    if request.method == "GET":  # a refused post still gets the crisis net below
        permissions.allow_post_in_circle(request.user, circle)
    if request.method == "POST":
        form = ThreadForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                written = services.thread_create(
                    author=request.user,
                    circle=circle,
                    title=data["title"],
                    body=data["body"],
                    kind=data["kind"],
                    content_warning=data["content_warning"],
                    needs=data.get("needs") or [],
                    reply_norm=data.get("reply_norm") or "",
                )
            except (ValidationError, PermissionDenied) as exc:
                status = _refused(request, form, exc, circle=circle, text=data["body"])
            else:
                after_write(request, written)
                return redirect(written.thread)
        else:
            status = 400
    else:
        kind = "ask" if request.GET.get("kind") == "ask" else "discussion"
        form = ThreadForm(initial={"kind": kind})
        status = 200
    context = {
        "circle": circle,
        "form": with_draft(form, f"new-thread-{circle.pk}", circle),
        **ask_prompts(),
    }
    return render(request, "circles/thread_new.html", context, status=status)


def with_draft(form, key: str, circle):
    """The body box keeps a draft on this device and completes @mentions."""
    form.fields["body"].widget.attrs.update(
        {
            "data-draft-key": key,
            "data-mentions": reverse("circles:members_json", args=[circle.slug]),
        }
    )
    return form


def _refused(request, form, exc, *, circle, text: str) -> int:
    """The form shows why, keeps the text, and the crisis net still listens.
    Returns the status: 400 for what to fix, 403 for what is not allowed now."""
    if isinstance(exc, ValidationError):
        add_service_errors(form, exc)
    else:
        form.add_error(None, error_text(exc))
    crisis_card_after_refusal(
        request, circle=circle, text=text, refused=error_text(exc)
    )
    return 400 if isinstance(exc, ValidationError) else 403


def after_write(request, written) -> None:
    crisis_card_after_write(
        request,
        level=written.crisis,
        held=written.post.status == ContentStatus.HELD,
        item=f"post:{written.post.pk}",
        circle=written.thread.circle,
    )
    if written.post.status == ContentStatus.HELD:
        messages.info(
            request,
            "Your words are held for a moderator to look at before others see them. "
            "You can see them meanwhile.",
        )


def _thread_in(circle, thread_id, user=None) -> Thread:
    """The thread (404 unless in this circle), with `seen_at`: when `user` last
    opened it, asked in the same query."""
    threads = Thread.objects.select_related("author")
    if user is not None:
        threads = selectors.with_seen_at(threads, user=user)
    thread = get_object_or_404(threads, pk=thread_id, circle=circle)
    thread.circle = circle  # the one in the URL, read already
    return thread


def _visible_thread(request, circle, thread_id) -> Thread:
    thread = _thread_in(circle, thread_id)
    if not permissions.can_see_item(request.user, thread):
        raise Http404("No such thread.")
    return thread


def render_thread(request, circle, thread, *, reply_form=None, status=200):
    if not permissions.can_see_item(request.user, thread):
        raise Http404("No such thread.")
    context = page.thread_page_context(request, circle, thread)
    reply_form = reply_form or ReplyForm()
    # A refused reply to a post keeps that post's draft (static/js/drafts.js).
    parent = reply_form.data.get("parent", "") if reply_form.is_bound else ""
    key = f"reply-{thread.pk}"
    if parent.isascii() and parent.isdigit():
        key += f"-{parent}"
    context.update(
        reply_form=with_draft(reply_form, key, circle),
        reply_parent=_parent_named(request, thread, parent),
    )
    services.thread_visit_record(
        user=request.user, thread=thread, seen_at=context["seen_at"]
    )
    _notifications_seen(
        request, circle, thread, context["post_ids"], whole=context["part"].whole
    )
    return render(request, "circles/thread.html", context, status=status)


def _parent_named(request, thread, parent: str):
    """The post a refused reply answered, if the reader may see it: the form says
    whom it answers (with JavaScript it also moves under that post)."""
    if not (parent.isascii() and parent.isdigit()):
        return None
    post = (
        Post.objects.filter(pk=int(parent), thread=thread, deleted_at__isnull=True)
        .select_related("author", "thread")
        .first()
    )
    if post is None or not permissions.can_see_item(request.user, post):
        return None
    return post


def _notifications_seen(request, circle, thread, post_ids, *, whole=False) -> None:
    """What the page shows is seen: notifications pointing to it are read. A page
    showing the whole thread clears every link into it, without listing them."""
    if thread.circle_id == circle.pk:
        thread.circle = circle  # its link needs the slug: no second query
    url = thread.get_absolute_url()
    if whole:
        notifications.notifications_clear_for_url(user=request.user, url=url)
        return
    notifications.notifications_clear_seen(
        user=request.user, urls=[url, *(f"{url}#post-{pk}" for pk in post_ids)]
    )


def thread_detail(request, slug, thread_id):
    circle = readable_circle_for(request, slug)
    return render_thread(request, circle, _thread_in(circle, thread_id, request.user))


@login_required
@require_POST
def thread_reply(request, slug, thread_id):
    circle = readable_circle_for(request, slug)
    thread = _thread_in(circle, thread_id, request.user)
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            written = services.post_reply(
                author=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
                content_warning=form.cleaned_data["content_warning"],
            )
        except (ValidationError, PermissionDenied) as exc:
            status = _refused(
                request, form, exc, circle=circle, text=form.cleaned_data["body"]
            )
        else:
            after_write(request, written)
            return redirect(f"{thread.get_absolute_url()}#post-{written.post.pk}")
    return render_thread(request, circle, thread, reply_form=form, status=status)


def thread_part(request, slug, thread_id, part):
    """One part of a long thread, bare, for "show more": each post carries the id of
    the post whose replies hold it (`data-in`), so the page keeps the nesting."""
    circle = readable_circle_for(request, slug)
    thread = _visible_thread(request, circle, thread_id)
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    shape = selectors.thread_outline(thread=thread)
    if part >= shape.parts:
        raise Http404("No such part.")
    viewer = page.make_viewer(request, circle, thread, viewer_ctx)
    rendered, posts = page.render_part(shape, part, viewer, context=False)
    _notifications_seen(request, circle, thread, posts)
    return render(
        request,
        "circles/_thread_part.html",
        {"circle": circle, "thread": thread, "part": rendered},
    )


def thread_meta(request, slug, thread_id):
    """The line under a thread's title (replies, waiting, answered), for live updates."""
    circle = readable_circle_for(request, slug)
    thread = _visible_thread(request, circle, thread_id)
    return render(
        request, "circles/_thread_meta.html", {"circle": circle, "thread": thread}
    )


@login_required
def asks_mine(request):
    return render(
        request, "circles/asks_mine.html", selectors.asks_of(user=request.user)
    )
