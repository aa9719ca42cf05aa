from django.contrib import admin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Staff see what was sent, what waits and what failed; never the address."""

    list_display = (
        "purpose",
        "user",
        "created_at",
        "send_after",
        "sent_at",
        "attempts",
    )
    list_filter = ("purpose", ("sent_at", admin.EmptyFieldListFilter))
    readonly_fields = ("last_error",)
    exclude = ("to_address", "body", "headers")
    raw_id_fields = ("user",)
