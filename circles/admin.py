from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import ChatMessage, Circle, Membership, Post, PostRevision, Thread


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "joined_at", "guidelines_accepted_at")


@admin.register(Circle)
class CircleAdmin(GuardedModelAdmin):
    list_display = (
        "name",
        "slug",
        "join_policy",
        "visibility",
        "capacity",
        "created_at",
    )
    list_filter = ("join_policy", "visibility")
    search_fields = ("name", "slug")
    readonly_fields = ("chat_seq", "created_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("circle", "user", "role", "state", "joined_at", "muted_until")
    list_filter = ("role", "state")
    raw_id_fields = ("user", "circle")
    list_select_related = ("circle", "user")


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("circle", "seq", "author", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("circle", "author")
    readonly_fields = ("seq", "body_html", "created_at")
    list_select_related = ("circle", "author")


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ("author", "parent", "status", "created_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "circle", "author", "kind", "status", "last_activity_at")
    list_filter = ("kind", "status", "locked", "pinned")
    raw_id_fields = ("circle", "author", "helped_post")
    list_select_related = ("circle", "author")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "thread", "author", "status", "created_at", "edited_at")
    list_filter = ("status",)
    raw_id_fields = ("thread", "parent", "author")
    readonly_fields = ("body_html", "created_at")
    list_select_related = ("thread", "author")


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    list_display = ("post", "created_at")
    raw_id_fields = ("post",)
    readonly_fields = ("post", "body", "body_html", "created_at")
