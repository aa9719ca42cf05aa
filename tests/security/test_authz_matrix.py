"""The authorization matrix: every URL of the contract against every kind of visitor.

Each cell is one request on a fresh world. "login" is a redirect to the log-in page;
"done" a redirect after the action; codes otherwise. Refused actions must also leave
the data as it was (checked by `unchanged`).
"""

import pytest

from circles.models import Membership

from .matrix_world import MODERATORS, READERS, VISITORS, build_world

pytestmark = pytest.mark.django_db

EVERYONE = set(VISITORS)
LOGGED_IN = EVERYONE - {"anonymous"}
# Who may see that the circle exists at all.
SEES_LISTED = EVERYONE - {"banned"}
SEES_PRIVATE = READERS | {"pending"}


def _row(private, *, anonymous="login", **groups):
    """A row of answers: each group maps an answer to its visitors; the rest get 404."""
    row = {visitor: "404" for visitor in VISITORS}
    for answer, visitors in groups.items():
        for visitor in visitors:
            row[visitor] = answer.lstrip("_")
    if anonymous is not None:
        row["anonymous"] = anonymous
    return row


def moderation_row(private):
    """Host, moderators and staff act; other readers are told no; the rest see 404."""
    return _row(private, done=MODERATORS, _403=READERS - MODERATORS)


def management_row(private):
    """Only the host manages the circle (roles, invite link); staff moderate only."""
    return _row(private, done={"host"}, _403=READERS - {"host"})


def rows(private: bool) -> list[tuple[str, str, dict]]:
    sees = SEES_PRIVATE if private else SEES_LISTED
    home = _row(
        private, anonymous="404" if private else "200", _200=sees - {"anonymous"}
    )
    members = _row(private, _200=READERS, _403=sees - READERS - {"anonymous"})
    join_answers = (
        {"_400": sees - {"anonymous"}} if private else {"done": sees - {"anonymous"}}
    )
    return [
        ("GET", "/circles/{slug}/", home),
        ("GET", "/circles/{slug}/members/", members),
        (
            "GET",
            "/circles/{slug}/members/?show=sanctioned",
            _row(private, _200=MODERATORS, _403=sees - MODERATORS - {"anonymous"}),
        ),
        ("POST", "/circles/{slug}/join/", _row(private, **join_answers)),
        ("POST", "/circles/{slug}/leave/", _row(private, done=sees - {"anonymous"})),
        (
            "GET",
            "/circles/{slug}/invite/{token}/",
            _row(private, _200=LOGGED_IN - {"banned"}),
        ),
        # A wrong token is a 404 for everyone, a visitor who is not logged in too
        # (only a right one sends them to log in, and back to the invite after).
        ("GET", "/circles/{slug}/invite/wrong-token/", _row(private, anonymous="404")),
        ("POST", "/circles/{slug}/invite/reset/", management_row(private)),
        ("POST", "/circles/{slug}/members/{target}/approve/", moderation_row(private)),
        ("POST", "/circles/{slug}/members/{target}/mute/", moderation_row(private)),
        ("POST", "/circles/{slug}/members/{target}/unmute/", moderation_row(private)),
        ("POST", "/circles/{slug}/members/{target}/ban/", moderation_row(private)),
        ("POST", "/circles/{slug}/members/{target}/unban/", moderation_row(private)),
        ("POST", "/circles/{slug}/members/{target}/role/", management_row(private)),
        ("POST", "/circles/{slug}/step-down/", moderation_row(private)),
    ]


FORM = {"accept_guidelines": "on", "role": "moderator", "minutes": "10", "reason": "r"}
CELLS = [
    (private, method, url, visitor, row[visitor])
    for private in (False, True)
    for method, url, row in rows(private)
    for visitor in VISITORS
]


def answer_of(response) -> str:
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "done"
    return str(response.status_code)


@pytest.mark.parametrize(
    "private,method,url,visitor,expected",
    CELLS,
    ids=[f"{'private' if c[0] else 'listed'}-{c[1]} {c[2]}-{c[3]}" for c in CELLS],
)
def test_matrix(client, private, method, url, visitor, expected):
    world = build_world(private=private)
    person = world["people"][visitor]
    if person is not None:
        client.force_login(person)
    target = world["target"]
    before = Membership.objects.get(circle=world["circle"], user=target)
    path = url.format(
        slug=world["circle"].slug, token=world["circle"].invite_token, target=target.pk
    )
    response = client.get(path) if method == "GET" else client.post(path, FORM)
    assert answer_of(response) == expected
    if expected != "done":
        after = Membership.objects.get(pk=before.pk)
        assert (after.role, after.state, after.muted_until) == (
            before.role,
            before.state,
            before.muted_until,
        ), "a refused request changed the target's membership"
