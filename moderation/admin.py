from django.contrib import admin

from .models import ModerationAction


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
