"""The portal's URLs plus ``/bench/trivial/``: a logged-in view that only reads
``request.user``, the yardstick of ``bench/pages.py``'s throughput table. Bench only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def trivial(request):
    return HttpResponse(f"ok {request.user.username}", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("cppcc_portal.urls")),
]
