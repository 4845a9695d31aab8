from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from setka.core import sqlrows

from . import sql
from .models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        username = username.strip()
        lookup = {"email__iexact": username} if "@" in username else {"username__iexact": username}
        users = list(user_model._default_manager.filter(**lookup)[:2])
        if len(users) != 1:
            user_model().set_password(password)  # same time whether or not the user exists
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The user of a signed-in session: every signed-in request asks it, so it is one
        hand-written statement (``sql.USER``; compiling the ORM's query cost as much as
        running it), the same row and the same rule as ``ModelBackend.get_user``."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = sqlrows.rows(sql.USER, {"id": pk})
        if not found:
            return None
        user = sqlrows.instance(User, found[0])
        return user if self.user_can_authenticate(user) else None
