"""`{% route_exists "/accounts/settings/" as has_settings %}`: link to a page only
once it exists, so that no menu entry or sentence points at nothing while features
arrive one by one."""

from django import template
from django.urls import Resolver404, resolve

register = template.Library()


@register.simple_tag
def route_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
