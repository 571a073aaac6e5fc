from django.contrib import admin

from secretariat.meetings.models import AgendaItem, Session, SiteVisit, SiteVisitDay, SiteVisitStop


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "platform", "kind", "date", "status"]
    list_filter = ["platform", "kind", "status"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "order"]
    list_filter = ["session__platform"]


class SiteVisitDayInline(admin.TabularInline):
    model = SiteVisitDay
    extra = 0


class SiteVisitStopInline(admin.TabularInline):
    model = SiteVisitStop
    extra = 0


@admin.register(SiteVisit)
class SiteVisitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session"]
    inlines = [SiteVisitDayInline, SiteVisitStopInline]


@admin.register(SiteVisitDay)
class SiteVisitDayAdmin(admin.ModelAdmin):
    list_display = ["__str__", "site_visit"]


@admin.register(SiteVisitStop)
class SiteVisitStopAdmin(admin.ModelAdmin):
    list_display = ["__str__", "site_visit", "day", "host", "theme"]
