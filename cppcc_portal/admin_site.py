"""The admin site: Django's, with each person's list of apps and models kept per write version.

Every admin page draws that list (the sidebar, the index): one permission check and two URL
reversals per registered model, a fifth of a changelist's time. It changes only with the
person's roles and permissions (writes) or with a deployment (a new process), so it is cached per
person and date, per write version (``writeversion``), like the portal's own navigation bar."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone, translation

from .writeversion import DAY, cached


class PortalAdminSite(admin.AdminSite):
    site_header = "区政协履职服务平台 · 系统管理"
    site_title = "区政协履职服务平台"
    index_title = "配置与数据"

    def get_app_list(self, request, app_label=None):
        def build() -> list[dict]:
            apps = super(PortalAdminSite, self).get_app_list(request, app_label)
            for app in apps:  # the names are lazy translations, which do not pickle: kept as text
                app["name"] = str(app["name"])
                for model in app["models"]:
                    model["name"] = str(model["name"])
            return apps

        parts = (request.user.pk, app_label, translation.get_language(), timezone.localdate().isoformat())
        return cached("admin-apps", parts, build, request=request, seconds=DAY)


class PortalAdminConfig(AdminConfig):
    default_site = "cppcc_portal.admin_site.PortalAdminSite"
