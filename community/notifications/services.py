"""Sending notifications: stored first, pushed live to the person's own socket after
commit, and emailed (at once, in quiet hours' end, or in the daily digest) as the
person chose for that kind."""

import importlib
import importlib.util
import re
from functools import cache

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community import realtime
from community.outbox import mail

from . import preferences
from .models import Notification
from .unread import unread_count, unread_count_cached, unread_forget

# Notices about the person's own place in a circle reach them even when they are no
# longer in it (a ban notice, a declined request); everything else about a circle
# is for its current members (and site staff) only.
ABOUT_MY_MEMBERSHIP = frozenset({"moderation", "membership"})


def _still_there(recipient, circle) -> bool:
    """Is `recipient` an active member of `circle` (or site staff)?"""
    if recipient.is_staff and recipient.is_active:
        return True
    return circle.memberships.filter(user_id=recipient.pk, state="active").exists()


@cache
def _rules() -> tuple:
    """Each installed app's `notification_rules.silenced`, found by name so that
    this layer imports no feature (moderation's ignore list lives there)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.notification_rules"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name).silenced)
    return tuple(found)


def silenced(*, recipient, about) -> bool:
    """Would a notice naming `about` be unwelcome to `recipient` (they ignore them)?"""
    if about is None or about.pk == recipient.pk:
        return False
    return any(rule(recipient_id=recipient.pk, about_id=about.pk) for rule in _rules())


def notification_send(
    *,
    recipient,
    kind: str,
    text: str,
    url: str = "",
    circle=None,
    about=None,
    email_group: str = "",
) -> Notification | None:
    """Store a notification for `recipient`, push it to them if they are online,
    and queue its email if they asked for one. Nothing about a circle reaches
    someone who left it or was banned from it, and nothing naming `about` (the
    person whose act it tells: a reply, a mention, a reaction, a message) reaches
    someone who ignores them. Duty notices (safety, membership requests) pass no
    `about`: an ignore never hides that someone may be at risk or waiting.
    `email_group` (say "thread-12") marks a reply that is not to the person's own
    post: with their reply scope `direct`, such replies share one email per group
    per hour at most."""
    if (
        circle is not None
        and kind not in ABOUT_MY_MEMBERSHIP
        and not _still_there(recipient, circle)
    ):
        return None
    if silenced(recipient=recipient, about=about):
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            text=text[:300],
            url=url[:300],
            circle=circle,
        )
        unread_forget(recipient.pk)
        _email_for(notification, group=email_group)
    realtime.broadcast_on_commit(
        realtime.user_group(recipient.pk),
        realtime.client_event(
            "notification.created",
            {
                "id": notification.pk,
                "kind": kind,
                "text": notification.text,
                "url": open_url(notification),
            },
        ),
    )
    return notification


def open_url(notification: Notification) -> str:
    """The link people follow: it marks the notification read, then goes on."""
    if not notification.url:
        return ""
    return reverse("notifications:open", kwargs={"notification_id": notification.pk})


def _email_for(notification: Notification, *, group: str = "") -> None:
    user = notification.recipient
    address = mail.verified_address(user)
    if not address:
        return
    now = timezone.now()
    if notification.kind in preferences.ALWAYS:
        _queue_instant(notification, address, category=None, send_after=now)
        return
    category = preferences.CATEGORY.get(notification.kind)
    if category is None:
        return
    wanted = preferences.choice(user, category)
    if wanted == "digest":
        notification.digest_pending = True
        notification.save(update_fields=["digest_pending"])
    elif wanted == "instant":
        later = preferences.quiet_until(user, now)  # held until quiet hours end
        if group and category == "reply" and preferences.reply_scope(user) == "direct":
            _queue_grouped(notification, address, group=group, now=now, later=later)
            return
        _queue_instant(notification, address, category=category, send_after=later)


def _queue_grouped(notification, address, *, group: str, now, later) -> None:
    """Replies in a busy thread that are not to the person's own posts: the first
    is emailed as usual; later ones wait for one email an hour after the last, which
    says there are more (without naming anyone, so nobody ignored is named)."""
    user = notification.recipient
    prefix = f"replies:{user.pk}:{group}:"
    last = mail.latest_send_after(key_prefix=prefix)
    every = preferences.REPLY_GROUP_EVERY
    if last is None or last <= now - every:
        send_after = later or now
        _queue_instant(
            notification,
            address,
            category="reply",
            send_after=send_after,
            key=f"{prefix}{send_after.timestamp():.0f}",
        )
        return
    if last > now:
        return  # the next email about this thread is already waiting
    send_after = max(last + every, later or now)
    link, headers = unsubscribe_headers(user, "reply")
    lines = [
        f"Hello {user.display_name},",
        "",
        "More people replied in your thread since our last email about it.",
    ]
    if notification.url:
        lines += ["", "Open it: " + mail.absolute(notification.url.split("#", 1)[0])]
    lines += _reply_footer(link)
    mail.email_queue(
        key=f"{prefix}{send_after.timestamp():.0f}",
        purpose=mail.Purpose.NOTIFICATION,
        user=user,
        to_address=address,
        subject="Circles: more replies in your thread",
        body="\n".join(lines),
        headers=headers,
        send_after=send_after,
    )


def _reply_footer(link: str) -> list[str]:
    return [
        "",
        "--",
        "You get this email because you chose it for: "
        f"{preferences.LABELS['reply'].lower()}. Replies to your own posts and "
        "mentions come at once; other replies in your threads come at most once "
        "an hour per thread. You can choose every reply at once in your settings.",
        f"Stop these emails with one click: {link}",
        "Or change your choices: " + mail.absolute(reverse("account_settings")),
    ]


def unsubscribe_headers(user, category: str) -> tuple[str, dict]:
    link = mail.absolute(
        reverse(
            "unsubscribe",
            kwargs={"token": preferences.unsubscribe_token(user, category)},
        )
    )
    return link, {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _queue_instant(
    notification, address, *, category, send_after, key: str = ""
) -> None:
    user = notification.recipient
    lines = [f"Hello {user.display_name},", "", notification.text]
    if notification.url:
        lines += ["", "Open it: " + mail.absolute(open_url(notification))]
    headers = {}
    if category:
        link, headers = unsubscribe_headers(user, category)
        lines += [
            "",
            "--",
            f"You get this email because you chose it for: "
            f"{preferences.LABELS[category].lower()}.",
            f"Stop these emails with one click: {link}",
            "Or change your choices: " + mail.absolute(reverse("account_settings")),
        ]
    else:
        lines += [
            "",
            "--",
            "Safety email reaches the circle's hosts and moderators (and, when a "
            "report waits too long, the site's staff) whatever their email choices "
            "and quiet hours, because someone may be at risk. It stops when you are "
            "no longer a host or moderator there.",
        ]
    mail.email_queue(
        key=key or f"notification:{notification.pk}",
        purpose=mail.Purpose.SAFETY if category is None else mail.Purpose.NOTIFICATION,
        user=user,
        to_address=address,
        subject=f"Circles: {notification.text[:120]}",
        body="\n".join(lines),
        headers=headers,
        send_after=send_after,
        link=open_url(notification)
        if notification.url
        else reverse("notifications:list"),
    )


def _unread_changed(user) -> None:
    unread_forget(user.pk)
    realtime.broadcast_on_commit(
        realtime.user_group(user.pk),
        realtime.client_event(
            "notifications.read", {"unread": unread_count(user=user)}
        ),
    )


def notifications_mark_read(*, user) -> int:
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _unread_changed(user)
    return changed


def notification_open(*, user, notification_id: int) -> str:
    """Mark one of the person's notifications read; return where it points ("" if
    it is not theirs: the caller answers 404)."""
    notification = (
        Notification.objects.filter(recipient=user, pk=notification_id)
        .only("url", "read_at")
        .first()
    )
    if notification is None:
        return ""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        _unread_changed(user)
    return notification.url or reverse("notifications:list")


def notifications_clear_for_url(*, user, url: str) -> int:
    """The person read the page these point to (a thread): they are read too.
    Nothing is asked when they have no unread notification (the header's count,
    from the cache): most page views."""
    if not user.is_authenticated or not unread_count_cached(user=user):
        return 0
    base = url.split("#", 1)[0]
    changed = Notification.objects.filter(
        recipient=user, read_at__isnull=True, url__startswith=base
    ).update(read_at=timezone.now())
    if changed:
        _unread_changed(user)
    return changed


def notifications_clear_seen(*, user, urls) -> int:
    """The person saw what these links point to (a post on a thread page, a
    conversation, a chat message): those notifications are read, and every open
    page of theirs hears the new count (`notifications.read`). Nothing is asked
    when they have no unread notification (from the cache)."""
    urls = [u for u in urls if u]
    if not user.is_authenticated or not urls or not unread_count_cached(user=user):
        return 0
    changed = Notification.objects.filter(
        recipient=user, read_at__isnull=True, url__in=urls
    ).update(read_at=timezone.now())
    if changed:
        _unread_changed(user)
    return changed


def notifications_rename_sender(*, old_name: str, new_name: str) -> int:
    """Notification texts name their sender; a deleted account's name goes. Whole
    words only: "Al" leaves "Always" alone."""
    if not old_name:
        return 0
    pattern = re.compile(rf"(?<!\w){re.escape(old_name)}(?!\w)")
    changed = []
    for notification in Notification.objects.filter(text__contains=old_name).only(
        "text"
    ):
        text = pattern.sub(new_name, notification.text)
        if text != notification.text:
            notification.text = text[:300]
            changed.append(notification)
    Notification.objects.bulk_update(changed, ["text"], batch_size=500)
    return len(changed)


def notify_unsubscribe(*, user, category: str) -> list[str]:
    """One-click unsubscribe: that kind's email off ("digest": every kind sent in
    the digest). Returns the kinds turned off."""
    if category == "digest":
        kinds = [
            k for k in preferences.CHOOSABLE if preferences.choice(user, k) == "digest"
        ]
    elif category in preferences.CHOOSABLE:
        kinds = [category]
    else:
        raise ValueError(category)
    notify = dict(user.notify or {})
    notify.update({k: "off" for k in kinds})
    user.notify = notify
    user.save(update_fields=["notify"])
    Notification.objects.filter(
        recipient=user, digest_pending=True, kind__in=_kinds_of(kinds)
    ).update(digest_pending=False)
    return kinds


def _kinds_of(categories: list[str]) -> list[str]:
    return [k for k, c in preferences.CATEGORY.items() if c in categories]
