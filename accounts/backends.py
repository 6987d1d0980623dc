"""The sign-in backend: Django's, loading the user's agency with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithAgencyBackend(ModelBackend):
    """Every page shows the signed-in user's agency in its header: loading it with the user (one
    JOIN) saves a query on every request."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
