from django.contrib import admin

from .models import Flag, Ignore, ModerationAction, WatchedWord


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log is shown, never changed: no add, change or delete here."""

    list_display = ("created_at", "circle", "actor", "action", "target_user", "reason")
    list_filter = ("action",)
    list_select_related = ("circle", "actor", "target_user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "circle",
        "kind",
        "object_id",
        "reason",
        "reporter",
        "resolution",
    )
    list_filter = ("reason", "resolution")
    list_select_related = ("circle", "reporter")


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    """Site-wide watched words (no circle) are managed here."""

    list_display = ("phrase", "action", "circle")
    list_filter = ("action",)


@admin.register(Ignore)
class IgnoreAdmin(admin.ModelAdmin):
    list_display = ("user", "ignored", "created_at")
