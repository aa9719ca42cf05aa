"""What every page's head carries (issue 28, Lighthouse's best practices and SEO):
one stylesheet, a description, an icon; and `/favicon.ico` answers."""

import re

import pytest
from django.contrib.staticfiles import finders

from ..factories import ThreadFactory

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
ICON = re.compile(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">')


def _pages(circle):
    thread = ThreadFactory(circle=circle, author=circle.host)
    return [
        "/",
        "/circles/",
        f"/circles/{circle.slug}/",
        thread.get_absolute_url(),
        "/search/?q=light",
        "/messages/",
        "/accounts/settings/",
        "/resources/",
        "/privacy/",
    ]


def test_every_page_has_one_stylesheet_a_description_and_an_icon(
    client, circle, member
):
    client.force_login(member)
    for url in _pages(circle):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert STYLESHEET.findall(page) == ["/static/css/site.css"], url
        description = DESCRIPTION.search(page)
        assert description and len(description.group(1).strip()) > 40, url
        icon = ICON.search(page)
        assert icon and finders.find(icon.group(1)), url


def test_the_log_in_page_has_them_too(client):
    page = client.get("/accounts/login/").content.decode()
    assert STYLESHEET.findall(page) == ["/static/css/site.css"]
    assert DESCRIPTION.search(page) and ICON.search(page)


def test_a_circle_page_describes_the_circle(client, circle):
    page = client.get(f"/circles/{circle.slug}/").content.decode()
    description = DESCRIPTION.search(page).group(1)
    assert description.startswith(f"{circle.name}, a peer-support circle")
    assert circle.description[:40] in description


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("img/favicon.svg")


def test_the_merged_stylesheet_keeps_dark_mode_and_the_thread_and_forum_rules():
    css = open(finders.find("css/site.css")).read()
    assert "@media (prefers-color-scheme: dark)" in css
    for rule in (".reaction-bar", ".search-results", ".post.new", ".show-more"):
        assert rule in css, rule
    assert finders.find("css/forum.css") is None
    assert finders.find("css/thread.css") is None
