"""What every admin page needs first: a logged-in member and the office of the URL, which
the member may see. Whether they may change a thing is the service function's check."""
from __future__ import annotations

from functools import wraps

from flask import g
from flask_login import current_user, login_required

from ...domain.permissions import Permission, require
from ...extensions import get_db
from ...queries import admin


def admin_page(permission: Permission):
    """Decorates a view taking `slug`: 401 -> log-in page; the member's role must hold
    `permission` in that office (403 otherwise, 404 for an unknown office). Sets g.actor
    and g.office (queries.admin.OfficeHead: id, slug, name, timezone, zones)."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(slug: str, *args, **kwargs):
            g.actor = current_user.actor()
            g.office = admin.office_head(get_db(), slug)
            require(g.actor, permission, g.office.id)
            return view(slug, *args, **kwargs)
        return wrapper
    return decorate
