"""A bare Django view returning the same rows as the thread page, from the same
database, with no templates, permissions or markup."""

from django.http import HttpResponse
from django.urls import path

from circles.models import Post


def rows(request, thread_id):
    posts = Post.objects.filter(thread_id=thread_id).values_list(
        "id", "parent_id", "author__display_name", "body_html", "created_at"
    )
    body = "\n".join(f"{p[0]}\t{p[1]}\t{p[2]}\t{p[3]}\t{p[4]}" for p in posts)
    return HttpResponse(body, content_type="text/plain")


urlpatterns = [path("rows/<int:thread_id>/", rows)]
