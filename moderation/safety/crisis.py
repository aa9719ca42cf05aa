"""The crisis card, one for every surface: the page after a post or thread, the
chat `crisis` frame, "I'm not OK right now" and private conversations.

`card(...)` says what happened to the person's words and what happens next;
`card_html(...)` draws it with the one partial (`moderation/_crisis_card.html`),
focused on a page, announced (`role="alert"`) without taking focus on a socket;
`static/js/crisis_card.js` is the one script that puts a live card on the page.
Lines come from `community/helplines.py`: every phone line a `tel:` or `sms:` link.
"""

import re
from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from community import helplines

LEVELS = ("danger", "concern", "unsafe")

DEFAULT_CRISIS_TEXT = (
    "You matter, and you do not have to carry this alone. If you might act on thoughts "
    "of harming yourself, or you are in danger right now, please contact your local "
    "emergency services (112 in Europe, 911 in North America, 999 in the UK) or go to "
    "the nearest emergency department. You can also reach a crisis line: in the US call "
    "or text 988; in the UK and Ireland call Samaritans on 116 123; elsewhere, "
    "findahelpline.com lists free, confidential lines in your country. If you can, tell "
    "someone you trust how you are feeling."
)

# What the card says happened to the words, by where they went.
POSTED_SENTENCES = {
    "visible": "Your words are posted: the people here can read them now.",
    "held": "Your words are held for a moderator: only you and the circle's moderators "
    "can see them for now.",
    "no": "Nothing was posted, and no one else can read your words.",
}
CHAT_SENTENCE = "Your message is in the chat: the people here can read it now."
TOLD_SENTENCE = (
    "Because your words suggest you may be going through something very hard, the "
    "circle's moderators have been told quietly, so that one of them can check in "
    "with you privately."
)
TOLD_UNSAFE_SENTENCE = (
    "Because your words suggest you may not be safe where you are, the circle's "
    "moderators have been told quietly, so that one of them can check in with you "
    "privately."
)
# Who was told, when it was not the circle's moderators (cases.alert_audience): the
# person is its only host or moderator, so the alert went to the site's staff; or
# there was no one else to tell.
TOLD_STAFF = {
    "danger": "Because your words suggest you may be going through something very "
    "hard, and this circle has no other host or moderator, the site's staff have been "
    "told quietly, so that someone can check in with you privately.",
    "unsafe": "Because your words suggest you may not be safe where you are, and this "
    "circle has no other host or moderator, the site's staff have been told quietly, "
    "so that someone can check in with you privately.",
}
TOLD_NOBODY = (
    "This circle has no other host or moderator and the site has no staff to tell, "
    "so no one else has been told: please reach one of the lines below, or someone "
    "you trust."
)
NOT_OK_TOLD = {
    ("moderators", True): "The circle's moderators have been told quietly, so that "
    "one of them can check in with you privately.",
    ("moderators", False): "The circle's moderators were told a little while ago, "
    "so they already know you may need someone; they were not told again.",
    ("staff", True): "This circle has no other host or moderator, so the site's "
    "staff have been told quietly instead, so that someone can check in with you "
    "privately.",
    ("staff", False): "This circle has no other host or moderator, so the site's "
    "staff were told a little while ago; they already know you may need someone and "
    "were not told again.",
}
DM_SENTENCES = {
    "visible": "Your message was delivered: {name} can read it now. The site's staff "
    "have been told quietly, so that someone can check in with you.",
    "no": "Your message was not sent, and no one else can read it. The site's staff "
    "have been told quietly that you may need support, so that someone can check in "
    "with you.",
}

# What the card says around the lines, by level (danger and concern alike).
SUPPORT_HEADING = "You deserve support right now"
DANGER_LEAD = (
    "If you are in danger right now, please reach someone now. These lines are free "
    "and confidential:"
)
HEADINGS = {
    "danger": SUPPORT_HEADING,
    "concern": SUPPORT_HEADING,
    "unsafe": "You deserve to be safe",
}
LEADS = {
    "danger": DANGER_LEAD,
    "concern": DANGER_LEAD,
    "unsafe": "If someone is hurting you, or you are not safe where you are, you can "
    "reach these lines now:",
}
SAFE_USE_SENTENCE = (
    "Staying safe while you use this site: calls and texts to these lines show in your "
    "phone's call and message logs, and the pages you visit stay in your browser's "
    "history. “Leave quickly”, at the top of every page, or pressing Shift three "
    "times, swaps this page for another site at once."
)
FOOTER = (
    "This is peer support, not an emergency service. If you can, tell someone you "
    "trust how you are feeling."
)
MISREAD_BUTTON = "I'm OK, that was misread"
MISREAD_HELP = (
    "If we read your words wrong, say so: the note on them is lifted. The moderators "
    "still see that you said so."
)


def _digits(number: str) -> str:
    return re.sub(r"[^\d+]", "", str(number))


def _numbers(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _line_links(line: dict) -> list:
    links = [
        format_html('<a href="tel:{}">Call {}</a>', _digits(tel), tel)
        for tel in _numbers(line.get("tel"))
    ]
    body = line.get("sms_body", "")
    for sms in _numbers(line.get("sms")):
        if body:
            links.append(
                format_html(
                    '<a href="sms:{}?&amp;body={}">Text {} to {}</a>',
                    _digits(sms),
                    quote(body),
                    body,
                    sms,
                )
            )
        else:
            links.append(format_html('<a href="sms:{}">Text {}</a>', _digits(sms), sms))
    url = line.get("url", "")
    if url.startswith(("https://", "http://")):
        shown = url.split("://", 1)[1].rstrip("/")
        links.append(format_html('<a href="{}" rel="noreferrer">{}</a>', url, shown))
    return links


def crisis_lines(*, level: str = "danger", country: str = "") -> list[dict]:
    return helplines.lines_for(level=level, country=country or helplines.country_of())


def crisis_text(*, level: str = "danger", country: str = "") -> str:
    """The lines as plain text (notifications, the socket frame's `text`)."""
    if helplines.is_plain_text():
        return helplines.configured()
    lines = crisis_lines(level=level, country=country)
    if not lines:
        return DEFAULT_CRISIS_TEXT
    said = []
    for line in lines:
        ways = [f"call {tel}" for tel in _numbers(line.get("tel"))]
        body = line.get("sms_body", "")
        ways += [
            f"text {body} to {sms}" if body else f"text {sms}"
            for sms in _numbers(line.get("sms"))
        ]
        ways.append(line.get("url", ""))
        how = " or ".join(w for w in ways if w)
        said.append(f"{line['name']}: {how}" if how else line["name"])
    return (
        "You matter, and you do not have to carry this alone. If you are in danger "
        "right now, please contact your local emergency services or one of these "
        "lines now. " + "; ".join(said) + "."
    )


def crisis_html(*, level: str = "danger", country: str = "") -> str:
    """The lines as a list of links: `tel:` to call, `sms:` to text."""
    if helplines.is_plain_text():
        return format_html('<p class="prewrap">{}</p>', helplines.configured())
    items = []
    for line in crisis_lines(level=level, country=country):
        note = (
            format_html(" <small>{}</small>", line["note"]) if line.get("note") else ""
        )
        items.append(
            format_html(
                "<li><strong>{}</strong> {}{}</li>",
                line["name"],
                format_html_join(" ", "{}", ((link,) for link in _line_links(line))),
                note,
            )
        )
    if not items:
        return format_html('<p class="prewrap">{}</p>', DEFAULT_CRISIS_TEXT)
    return format_html(
        '<ul class="crisis-lines">{}</ul>',
        format_html_join("", "{}", ((item,) for item in items)),
    )


SENSITIVE_NOTE = "A member shared something heavy. Replies are welcome."
SENSITIVE_READER_LEAD = (
    "If reading it stirs something up for you, these lines are there for you too:"
)


def sensitive_context(*, country: str = "") -> dict:
    """What `sensitive_html` needs besides the words: the same for every collapsed
    item of a page, so asked once."""
    return {
        "note": SENSITIVE_NOTE,
        "lead": SENSITIVE_READER_LEAD,
        "lines": crisis_html(country=country),
    }


def sensitive_html(body_html: str, *, sensitive: dict, body_class: str = "") -> str:
    """Words that raised `danger`, as other members get them: collapsed behind a
    neutral note, one click to open, with support lines for the reader. The one
    source of this markup: thread posts, chat messages and the chat script's
    <template> (drawn with no words) use it. `body_html` was sanitised when it was
    written; the rest is escaped unless already safe (the lines are links)."""
    kind = f" {conditional_escape(body_class)}" if body_class else ""
    return mark_safe(
        '<div class="sensitive" data-sensitive="danger"><details><summary>'
        f"{conditional_escape(sensitive['note'])}</summary>"
        f'<div class="sensitive-body{kind}">{body_html}</div>'
        f'<div class="sensitive-lines"><p>{conditional_escape(sensitive["lead"])}</p>'
        f"{conditional_escape(sensitive['lines'])}</div></details></div>"
    )


def _told(level: str, audience: str = "moderators") -> str:
    if audience == "nobody":
        return TOLD_NOBODY
    if audience == "staff":
        return TOLD_STAFF["unsafe" if level == "unsafe" else "danger"]
    return TOLD_UNSAFE_SENTENCE if level == "unsafe" else TOLD_SENTENCE


def card(
    *,
    level: str,
    posted: str,
    alerted: bool = True,
    refused: str = "",
    chat: bool = False,
    item: str = "",
    audience: str = "moderators",
) -> dict:
    """Words in a circle: what happened to them (`posted`: visible, held or no) and
    what happens next. `refused` is why nothing was posted, if so; `item` is
    `<kind>:<id>` of the stored words, for "I'm OK, that was misread"; `audience`
    who was told (cases.alert_audience)."""
    said = [CHAT_SENTENCE if chat and posted == "visible" else POSTED_SENTENCES[posted]]
    if refused:
        said.append(f"{refused} Your text is still in the box.")
    if alerted:
        said.append(_told(level, audience))
    return {"level": level, "posted": posted, "said": " ".join(said), "item": item}


def not_ok_card(*, alerted: bool, audience: str = "moderators") -> dict:
    """After "I'm not OK right now": nothing was posted; who was told (the circle's
    moderators, or the site's staff when the person is its only host or moderator,
    or no one when there is no one else to tell), and whether this time."""
    told = (
        TOLD_NOBODY
        if audience == "nobody"
        else NOT_OK_TOLD[(audience if audience == "staff" else "moderators", alerted)]
    )
    return {
        "level": "concern",
        "posted": "no",
        "said": f"Nothing was posted: only you see this. {told}",
        "item": "",
    }


def dm_card(*, level: str, posted: str, recipient_name: str = "", item: str = ""):
    """Words in a private message: delivered (`visible`) or not sent (`no`)."""
    said = DM_SENTENCES["visible" if posted == "visible" else "no"]
    return {
        "level": level,
        "posted": "visible" if posted == "visible" else "no",
        "said": said.format(name=recipient_name or "the other person"),
        "item": item,
    }


def card_context(card: dict, *, country: str = "", live: bool = False) -> dict:
    level = card["level"] if card.get("level") in LEVELS else "danger"
    return {
        **card,
        "level": level,
        "heading": HEADINGS[level],
        "lead": LEADS[level],
        "lines": crisis_html(level=level, country=country),
        "safe_use": SAFE_USE_SENTENCE if level == "unsafe" else "",
        "footer": FOOTER,
        "misread_url": reverse("safety:misread"),
        "misread_button": MISREAD_BUTTON,
        "misread_help": MISREAD_HELP,
        "live": live,
    }


def card_html(card: dict, *, country: str = "", live: bool = False) -> str:
    """The card drawn by the one partial; `live` for a socket (announced, no focus),
    else a page's (focused). A live card carries no CSRF field: its misread form
    is posted by the card script with the page's token."""
    return render_to_string(
        "moderation/_crisis_card.html",
        {"card": card_context(card, country=country, live=live)},
    )


def card_frame(card: dict, *, country: str = "") -> dict:
    """The `crisis` frame on a socket: announced, never taking focus from the
    composer, so nothing being typed is lost."""
    ctx = card_context(card, country=country)
    return {
        "type": "crisis",
        "level": ctx["level"],
        "posted": card["posted"],
        "item": card.get("item", ""),
        "text": f"{card['said']} {crisis_text(level=ctx['level'], country=country)}",
        "html": card_html(card, country=country, live=True),
    }


def crisis_frame(
    *,
    level: str,
    posted: str,
    refused: str = "",
    item: str = "",
    user=None,
    audience: str = "moderators",
) -> dict:
    """The chat socket's `crisis` frame, with the lines of the person's country."""
    said = card(
        level=level,
        posted=posted,
        refused=refused,
        chat=posted == "visible",
        item=item,
        audience=audience,
    )
    return card_frame(said, country=helplines.country_of(user))
