from django.contrib import admin

from secretariat.council.models import (
    MemberCategory,
    Membership,
    Organisation,
    Person,
    Platform,
    Project,
    StaffAssignment,
    Theme,
)


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0


class MemberCategoryInline(admin.TabularInline):
    model = MemberCategory
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "established_on", "is_public"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [StaffAssignmentInline, MemberCategoryInline, ThemeInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prefecture"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "family_name_kana", "given_name_kana", "title", "affiliation"]
    search_fields = ["family_name", "given_name", "family_name_kana", "given_name_kana"]
    autocomplete_fields = ["affiliation"]


@admin.register(MemberCategory)
class MemberCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "order", "member_ordering"]
    list_filter = ["platform"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "order"]
    list_filter = ["platform"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["display_name", "platform", "category", "role", "start_date", "end_date"]
    list_filter = ["platform", "category", "role"]
    autocomplete_fields = ["person", "organisation"]
    filter_horizontal = ["themes"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "platform", "role"]
    list_filter = ["platform", "role"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "fiscal_year"]
    list_filter = ["platform", "fiscal_year"]
