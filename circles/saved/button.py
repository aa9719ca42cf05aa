"""The Save / Saved toggle as HTML: the one source of its markup (chat messages,
drawn in Python by circles/chat_html.py, and the thread's own button through
`{% save_button %}`). Posting it to the saved list toggles the item."""

from html import escape


def e(value) -> str:
    return escape(str(value), quote=True)


def save_button_html(
    *,
    action: str,
    kind: str,
    pk,
    next_url: str,
    csrf_input: str,
    saved: bool,
    label: str = "",
) -> str:
    """`action`: the saved list's address, escaped (a page reverses it once);
    `next_url` and `label` ("message from Sam": what a screen reader hears) are
    escaped here; `csrf_input` is the page's hidden input, "" in a live chat
    message (the chat script puts in the page's token)."""
    if saved:
        named = f": {e(label)}" if label else ""
        text = f'Saved<span class="visually-hidden">{named} (select to unsave)</span>'
    elif label:
        text = f'Save<span class="visually-hidden"> {e(label)}</span>'
    else:
        text = "Save"
    return (
        f'<form method="post" action="{action}" class="inline-form save-form">'
        f'{csrf_input}<input type="hidden" name="kind" value="{kind}">'
        f'<input type="hidden" name="id" value="{pk}">'
        f'<input type="hidden" name="next" value="{e(next_url)}">'
        '<button type="submit" class="link-button" '
        f'aria-pressed="{"true" if saved else "false"}">{text}</button></form>'
    )
