"""`{% socket_url "circle" slug=circle.slug %}`: a socket's path for a page's
`data-socket-url`, from the routes the sockets serve (community.sockets.routes)."""

from django import template

from community.sockets.routes import socket_path

register = template.Library()


@register.simple_tag
def socket_url(name: str, **kwargs) -> str:
    return socket_path(name, **kwargs)
