from django.contrib import admin

from accounts.access_log import AccessLoggedAdmin

from .models import Message


@admin.register(Message)
class MessageAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """The conversations, for reading; messages are written on /messages/ and on the
    patient's page, where the other side is told."""

    patient_field = "patient"
    list_display = ("patient", "from_patient", "sender", "sent_at", "read_at")
    list_filter = ("from_patient",)
    list_select_related = ("patient", "sender")
    search_fields = ("patient__email", "patient__display_name")
    date_hierarchy = "sent_at"
    fields = ("patient", "sender", "from_patient", "text", "sent_at", "read_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a conversation is a record; it goes with her account (erasure)
