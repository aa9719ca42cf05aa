"""Helpers for moderation tests."""


def flag(client, user, kind, item_id, reason="harmful", note=""):
    client.force_login(user)
    return client.post(
        "/moderation/flag/",
        {"kind": kind, "id": item_id, "reason": reason, "note": note},
    )
