from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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
