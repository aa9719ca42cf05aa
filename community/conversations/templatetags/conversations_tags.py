"""Template helpers for the site header and the members page."""

from django import template

from circles import permissions

from .. import rules, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def dm_unread_count(context) -> int:
    """Conversations with an unread message, for the header badge (from the
    cache, else one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user=user)


@register.simple_tag(takes_context=True)
def messageable_ids(context, circle, members) -> set[int]:
    """Members whom the viewer may offer a "Send a message" form (the service still
    decides). Only for an active member of the circle; two queries."""
    user = context["request"].user
    membership = permissions.membership_of(user, circle)
    if membership is None or not membership.is_active:
        return set()
    return rules.messageable_ids(user, members)


@register.simple_tag(takes_context=True)
def closed_to_messages_ids(context, circle, members) -> set[int]:
    """Members who take no private messages (their own setting), so the members
    page can say so where "Send a message" would be. Only for an active member of
    the circle; no query beyond the membership (asked once per request)."""
    user = context["request"].user
    membership = permissions.membership_of(user, circle)
    if membership is None or not membership.is_active:
        return set()
    return {
        m.user_id
        for m in members
        if m.user_id != user.pk and not rules.allows_messages(m.user)
    }


@register.simple_tag(takes_context=True)
def my_message_setting(context) -> str:
    """Who may write to the viewer, in words, for the messages page."""
    user = context["request"].user
    if rules.allows_messages(user):
        return (
            "members who share a circle with you, and your circles' hosts and "
            "moderators"
        )
    return "only your circles' hosts and moderators, to check in with you"
