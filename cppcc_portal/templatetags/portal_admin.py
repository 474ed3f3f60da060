"""``{% load portal_admin %}``: the admin changelist's result table, cached (``CachedResultsMixin``)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import select_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from cppcc_portal.writeversion import DAY, cached

register = template.Library()


@register.simple_tag(takes_context=True)
def cached_result_list(context, cl) -> str:
    """What ``{% result_list cl %}`` draws, kept per user (the rows link to what they may change),
    query string (filters, search, order, page) and date, per write version (``writeversion``):
    the rows' query and their per-cell rendering (about 1 ms a row) run once per write."""
    request = context["request"]
    opts = cl.opts

    def build() -> str:
        table = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
                f"admin/{opts.app_label}/change_list_results.html",
                "admin/change_list_results.html",
            ]
        )
        return table.render(result_list(cl))

    if cl.formset is not None:  # list_editable: the rows hold this request's bound forms and errors
        return mark_safe(build())  # nosec B308 (our own render)
    parts = (opts.label, request.user.pk, request.GET.urlencode(), timezone.localdate().isoformat())
    return mark_safe(cached("admin-results", parts, build, request=request, seconds=DAY))  # nosec B308 (our own render)
