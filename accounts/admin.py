from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .access_log import AccessLoggedAdmin
from .models import Consent, ErasureRecord, Profile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "display_name", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ("user", "complaints_display", "intake_completed_at")
    list_filter = ("reminders_enabled", "language")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "intake_completed_at", "updated_at")

    @admin.display(description=_("complaints"))
    def complaints_display(self, obj):
        return ", ".join(str(label) for label in obj.get_complaints_display())


@admin.register(Consent)
class ConsentAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ("user", "kind", "version", "given_at")
    list_filter = ("kind", "version")
    search_fields = ("user__email",)
    list_select_related = ("user",)

    def has_change_permission(self, request, obj=None):
        return False  # a consent is a record of what she agreed to; it is never edited


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = ("erased_on",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
