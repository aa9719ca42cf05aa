"""Site-wide defences: CSRF on every form post, no global permission that opens a
circle, and guardian's anonymous user turned off."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from circles import permissions

pytestmark = pytest.mark.django_db

# Every form post of the public contract (ids that may not exist are fine: the CSRF
# check runs before any view).
FORM_POSTS = [
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/logout/",
    "/circles/new/",
    "/circles/{slug}/join/",
    "/circles/{slug}/leave/",
    "/circles/{slug}/invite/{token}/",
    "/circles/{slug}/members/{uid}/approve/",
    "/circles/{slug}/members/{uid}/role/",
    "/circles/{slug}/members/{uid}/mute/",
    "/circles/{slug}/members/{uid}/ban/",
    "/circles/{slug}/members/{uid}/unban/",
    "/circles/{slug}/members/{uid}/unmute/",
    "/circles/{slug}/step-down/",
]


@pytest.mark.parametrize("url", FORM_POSTS)
def test_every_form_post_needs_the_csrf_token(circle, host, member, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    path = url.format(slug=circle.slug, token=circle.invite_token, uid=member.pk)
    response = client.post(path, {"reason": "x", "body": "x"})
    assert response.status_code == 403


def test_a_global_permission_never_opens_a_circle(circle, outsider):
    """Model-level permissions (say, given in the admin) grant nothing in a circle."""
    outsider.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_circle",
                "post_in_circle",
                "moderate_circle",
                "manage_circle",
            ]
        )
    )
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert outsider.has_perm("circles.post_in_circle")  # the global permission exists
    assert not permissions.can_read_circle(outsider, circle)
    assert not permissions.can_post_in_circle(outsider, circle)
    assert not permissions.can_moderate_circle(outsider, circle)
    assert not permissions.can_manage_circle(outsider, circle)


def test_guardian_anonymous_user_is_off(circle, client):
    from django.contrib.auth.models import AnonymousUser

    assert settings.ANONYMOUS_USER_NAME is None
    assert not permissions.can_read_circle(AnonymousUser(), circle)
    assert client.get(f"/circles/{circle.slug}/members/").status_code == 302


def test_pages_show_display_names_never_usernames_or_emails(
    client, circle, member, host
):
    member.username = "secret-login-name"
    member.email = "secret@example.org"
    member.save()
    client.force_login(host)
    for url in (
        "/circles/",
        f"/circles/{circle.slug}/",
        f"/circles/{circle.slug}/members/",
    ):
        page = client.get(url).content.decode()
        assert "secret-login-name" not in page and "secret@example.org" not in page, url
    assert (
        member.display_name
        in client.get(f"/circles/{circle.slug}/members/").content.decode()
    )


def test_templates_load_nothing_from_other_sites():
    """No third-party requests: every script, style, image and font is our own."""
    import re
    from pathlib import Path

    loads = re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", re.I)
    remote = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in list((root / "templates").rglob("*.html")) + list(
        (root / "static").rglob("*.css")
    ):
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.name}: {tag}" for tag in loads.findall(text) if remote.search(tag)
        ]
        offenders += [
            f"{path.name}: @import/url()"
            for _ in re.findall(r"url\(\s*['\"]?(?:https?:)?//", text)
        ]
    assert offenders == []
