from django.contrib import admin

from .models import Resource, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("position", "kind", "heading", "anchor")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "imported_at")
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("heading", "resource", "kind", "position")
    list_filter = ("kind", "resource")
