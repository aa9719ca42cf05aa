"""One post's pages: reply to it, its actions (the menu a thread page fetches, or a
page of their own without JavaScript), edit, delete, "this helped", and the post
alone for live updates. Each page works without JavaScript; the thread page only
links to them (see `actions.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions
from ..http import add_service_errors, csrf_input, error_text, readable_circle_for
from ..memberships import selectors as membership_selectors
from ..models import Post
from ..reactions.bar import reaction_bar_html
from ..saved.button import save_button_html
from . import page, services
from .actions import post_actions
from .forms import EditForm, ReplyForm
from .render import body_html, render_one
from .viewer import author_label
from .views import after_write, with_draft


def _post_in(circle, post_id) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread", "thread__circle", "author"),
        pk=post_id,
        thread__circle=circle,
    )


def _seen_post(request, slug, post_id):
    """The post at `post_id` in the circle at `slug`, for a reader who may see it
    (404 like a missing one otherwise, 403 for who sees only the circle's public
    face, as for the thread page), with the reader as a thread page sees them."""
    circle = readable_circle_for(request, slug)
    post = _post_in(circle, post_id)
    if not permissions.can_see_item(request.user, post.thread):
        raise Http404("No such post.")
    if not permissions.can_see_item(request.user, post):
        raise Http404("No such post.")
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    viewer = page.make_viewer(request, circle, post.thread, viewer_ctx, post=post)
    return circle, post, viewer, viewer_ctx


def _post_context(circle, post, viewer, **extra) -> dict:
    thread = post.thread
    return {
        "circle": circle,
        "thread": thread,
        "post": post,
        "author": author_label(post),
        "quoted": body_html(post, viewer),
        "back": f"{thread.get_absolute_url()}#post-{post.pk}",
        **extra,
    }


@require_GET
def post_reply(request, slug, post_id):
    """The reply form alone, under the words it answers; it posts to the thread's
    reply URL with `parent`, as the thread page's form does."""
    circle, post, viewer, _ctx = _seen_post(request, slug, post_id)
    refused = ""
    try:
        permissions.allow_reply_to_post(request.user, post)
    except PermissionDenied as exc:
        refused = error_text(exc)
    form = with_draft(
        ReplyForm(initial={"parent": post.pk}),
        f"reply-{post.thread_id}-{post.pk}",
        circle,
    )
    context = _post_context(circle, post, viewer, form=form, refused=refused)
    return render(
        request, "circles/post_reply.html", context, status=403 if refused else 200
    )


def _menu_context(request, circle, post, viewer) -> dict:
    can = post_actions(post, viewer)
    back = f"{post.thread.get_absolute_url()}#post-{post.pk}"
    csrf = csrf_input(get_token(request))
    bar = save = ""
    if can.reactions:
        bar = reaction_bar_html(
            kind="post",
            item=post,
            slug=circle.slug,
            entry=viewer.reactions.get(post.pk),
            can_react=can.react,
            csrf_input=csrf,
            next_url=back,
            label=f"post by {author_label(post)}",
        )
    if can.save:
        save = save_button_html(
            action=reverse("saved:list"),
            kind="post",
            pk=post.pk,
            next_url=back,
            csrf_input=csrf,
            saved=("post", post.pk) in viewer.saved,
        )
    return _post_context(
        circle, post, viewer, can=can, reaction_bar=bar, save_button=save
    )


@require_GET
def post_actions_page(request, slug, post_id, fragment=False):
    """What the reader may do with the post: react, save, flag, edit, delete, mark
    it helped, remove (keepers). `fragment`: the menu alone, which the thread page
    opens under the post; otherwise a page of its own."""
    circle, post, viewer, _ctx = _seen_post(request, slug, post_id)
    context = _menu_context(request, circle, post, viewer)
    context["fragment"] = fragment
    if fragment:
        return render(request, "circles/_post_menu.html", context)
    return render(request, "circles/post_actions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, slug, post_id):
    circle = readable_circle_for(request, slug)
    post = _post_in(circle, post_id)
    if request.method == "POST":
        form, status = EditForm(request.POST), 400
        try:
            written = form.is_valid() and services.post_edit(
                author=request.user, post=post, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if written:
                after_write(request, written)
                messages.success(
                    request, "Saved. The earlier version is kept for moderators."
                )
                return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")
    else:
        permissions.allow_see_item(request.user, post)
        form, status = EditForm(initial={"body": post.body}), 200
    refused = ""
    try:
        permissions.allow_edit_post(request.user, post)
    except PermissionDenied as exc:
        refused, status = error_text(exc), 403
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    viewer = page.make_viewer(request, circle, post.thread, viewer_ctx, post=post)
    context = _post_context(circle, post, viewer, form=form, refused=refused)
    return render(request, "circles/post_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, slug, post_id):
    """POST deletes (the thread page's menu asks first in a dialog); GET is the
    confirmation page that posts to the same URL, for a browser without
    JavaScript."""
    circle = readable_circle_for(request, slug)
    post = _post_in(circle, post_id)
    if request.method == "POST":
        services.post_delete(author=request.user, post=post)
        messages.success(request, "Deleted. Replies to it stay in place.")
        return redirect(post.thread)
    permissions.allow_delete_post(request.user, post)
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    viewer = page.make_viewer(request, circle, post.thread, viewer_ctx, post=post)
    return render(
        request, "circles/post_delete.html", _post_context(circle, post, viewer)
    )


@login_required
@require_POST
def post_helped(request, slug, post_id):
    circle = readable_circle_for(request, slug)
    post = _post_in(circle, post_id)
    try:
        services.ask_mark_helped(user=request.user, post=post)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, "Marked as the reply that helped. Your ask is answered."
        )
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")


def post_fragment(request, slug, post_id):
    """One post (without its replies), rendered as on the thread page, for live
    insertion and live edits."""
    circle = readable_circle_for(request, slug)
    post = _post_in(circle, post_id)
    if not permissions.can_see_item(request.user, post.thread):
        raise Http404("No such post.")
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    viewer = page.make_viewer(request, circle, post.thread, viewer_ctx, post=post)
    parent = (
        Post.objects.select_related("author").filter(pk=post.parent_id).first()
        if post.parent_id
        else None
    )
    return HttpResponse(render_one(post, viewer, parent=parent))
