from django.contrib import admin

from schooltech.organisations import models


@admin.register(models.LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "gss_code", "region"]
    search_fields = ["code", "name"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["uid", "group_id", "name", "group_type", "status"]
    list_filter = ["group_type", "status"]
    search_fields = ["uid", "group_id", "name", "companies_house_number"]


@admin.register(models.Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "type_name", "phase_name", "status", "local_authority", "postcode"]
    list_filter = ["status", "phase_name", "type_group_name"]
    search_fields = ["urn", "ukprn", "name", "postcode"]
    raw_id_fields = ["trust", "local_authority"]
