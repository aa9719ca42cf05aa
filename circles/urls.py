"""Every URL under /circles/: the home page and joining here, then each feature's
own urls module."""

from django.urls import path

from . import home
from .chat import urls as chat_urls
from .health import urls as health_urls
from .memberships import urls as membership_urls
from .mentions import urls as mention_urls
from .reactions import urls as reaction_urls
from .search import urls as search_urls
from .threads import urls as thread_urls

app_name = "circles"

urlpatterns = [
    *membership_urls.urlpatterns,
    path("<slug:slug>/", home.circle_detail, name="detail"),
    path("<slug:slug>/join/", home.circle_join, name="join"),
    path("<slug:slug>/invite/<str:token>/", home.circle_invite, name="invite"),
    *chat_urls.urlpatterns,
    *thread_urls.urlpatterns,
    *reaction_urls.urlpatterns,
    *search_urls.circle_urlpatterns,
    *health_urls.urlpatterns,
    *mention_urls.urlpatterns,
]
