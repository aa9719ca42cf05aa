"""Chat events that are not about a message: typing, presence, slow mode. Event
types are `noun.verb`; the consumer handles them in methods named `noun_verb`."""

from community.realtime import client_event


def typing(*, author: str, sender_channel: str) -> dict:
    event = client_event("typing", {"author": author})
    event["sender_channel"] = sender_channel
    return event


def presence(names: list[str]) -> dict:
    return client_event("presence", {"members": names})


def slow_mode_changed(seconds: int) -> dict:
    return client_event("slow_mode.changed", {"seconds": seconds})
