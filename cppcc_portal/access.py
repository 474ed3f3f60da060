"""View guards. Every view says who may use it, down to the object.

``@permission_required("app.perm")`` sends anonymous users to the login page and
answers 403 to logged-in users without the permission. With ``fn`` the rule is
checked against an object, exactly as in ``rules.contrib.views``::

    @permission_required("proposals.see_proposal", fn=objectgetter(Proposal, "pk"))
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from rules.contrib.views import objectgetter

__all__ = ["objectgetter", "permission_required", "require"]


def permission_required(perm: str, fn=None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def require(user, perm: str, obj=None) -> None:
    """Inside a view: 403 unless ``user`` has ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
