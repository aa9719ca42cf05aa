"""Finding 7 (issue 26): every refused form answers with its problems listed in a
summary at its top (focusable, each linked to its field), the field's own error, and
what was typed kept: quiet hours "10pm-7am", "Delete my account" without a password,
an ask without what would help."""

import re

import pytest

pytestmark = pytest.mark.django_db


def summary(html: str, summary_id: str = "error-summary") -> str:
    match = re.search(
        rf'<div class="error-summary" id="{summary_id}" tabindex="-1".*?</div>',
        html,
        re.S,
    )
    assert match, html
    return match.group(0)


def settings_data(member, **changes):
    data = {
        "display_name": member.display_name,
        "email": "",
        "allow_messages": "circle_members",
        "time_zone": "Europe/London",
        "quiet_hours": "",
        "notify_reply": "instant",
        "notify_mention": "off",
        "notify_message": "off",
        "notify_membership": "off",
        "notify_reply_scope": "direct",
    }
    return data | changes


def test_a_mistyped_quiet_hours_value_is_summarised_and_kept(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/settings/", settings_data(member, quiet_hours="10pm-7am")
    )
    assert response.status_code == 400
    html = response.content.decode()
    box = summary(html)
    assert "This has not gone through yet." in box
    assert 'href="#id_quiet_hours"' in box and "HH:MM-HH:MM" in box
    assert 'value="10pm-7am"' in html  # what was typed stays in the box
    assert 'aria-invalid="true"' in html
    # The summary comes before the first field of the form.
    assert html.index("error-summary") < html.index('name="display_name"')


def test_delete_without_a_password_is_summarised_at_the_delete_form(client, member):
    client.force_login(member)
    response = client.post("/accounts/delete/", {"content": "keep"})
    assert response.status_code == 400
    html = response.content.decode()
    box = summary(html, "delete-errors")
    assert 'href="#id_password"' in box
    assert html.index('id="delete-heading"') < html.index('id="delete-errors"')
    assert 'value="keep" required id="id_content_1" checked' in html or re.search(
        r'value="keep"[^>]*checked', html
    )
    assert 'id="error-summary"' not in html  # only the refused form has one


def test_an_ask_without_what_would_help_is_summarised_and_kept(client, circle, member):
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {
            "kind": "ask",
            "title": "Sleep",
            "body": "I have not slept well for weeks.",
            "needs": [],
            "reply_norm": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    box = summary(html)
    assert "<li>" in box
    assert "I have not slept well for weeks." in html
    assert 'value="Sleep"' in html


def test_a_page_that_was_not_refused_has_no_summary(client, member):
    client.force_login(member)
    assert (
        "data-error-summary" not in client.get("/accounts/settings/").content.decode()
    )


def test_the_site_script_focuses_the_summary():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[3] / "static/js/site.js").read_text()
    assert 'querySelector("[data-error-summary]")' in script
    assert "errorSummary.focus()" in script
