from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from . import security  # noqa: F401  (connects the sign-in log)
