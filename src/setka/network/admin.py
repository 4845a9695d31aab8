from django.contrib import admin

from .models import Guardianship, Institution, Membership, Municipality, MunicipalRole, Person


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "time_zone"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "is_resource_centre", "is_active"]
    list_filter = ["kind", "is_resource_centre", "is_active"]
    search_fields = ["short_name", "full_name", "address"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["surname", "given_name", "patronymic", "email", "user"]
    search_fields = ["surname", "given_name", "email"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline]


@admin.register(MunicipalRole)
class MunicipalRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "municipality", "starts_on", "ends_on"]
    raw_id_fields = ["person"]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["guardian", "student", "kind", "starts_on", "ends_on"]
    raw_id_fields = ["guardian", "student"]
