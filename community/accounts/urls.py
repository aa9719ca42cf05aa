from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_reset, settings_views, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        password_reset.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Account control (settings_views) and password reset by email.
    path("settings/", settings_views.account_settings, name="account_settings"),
    path(
        "settings/verify-again/",
        settings_views.verification_resend,
        name="verification_resend",
    ),
    path("verify/<str:token>/", settings_views.email_verify, name="verify_email"),
    path(
        "logout-everywhere/",
        settings_views.logout_everywhere,
        name="logout_everywhere",
    ),
    path("export/", settings_views.account_export, name="account_export"),
    path("delete/", settings_views.account_delete, name="account_delete"),
    path(
        "password-reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
