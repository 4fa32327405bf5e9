"""Auth and Admin API routes; every one matches with and without its trailing slash."""

from django.urls import re_path

from accounts import views
from animatic_vision.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("admin/users", views.AdminUserViewSet, basename="admin-users")

urlpatterns = [
    re_path(r"^auth/register/?$", views.RegisterView.as_view(), name="auth-register"),
    re_path(r"^auth/login/?$", views.LoginView.as_view(), name="auth-login"),
    re_path(r"^auth/refresh-token/?$", views.RefreshTokenView.as_view(), name="auth-refresh-token"),
    re_path(r"^auth/logout/?$", views.LogoutView.as_view(), name="auth-logout"),
    re_path(r"^auth/me/?$", views.MeView.as_view(), name="auth-me"),
    re_path(r"^auth/change-password/?$", views.ChangePasswordView.as_view(), name="auth-change-password"),
    re_path(r"^auth/forgot-password/?$", views.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    re_path(r"^auth/reset-password/?$", views.ResetPasswordView.as_view(), name="auth-reset-password"),
    re_path(r"^admin/auth/register/?$", views.AdminRegisterView.as_view(), name="admin-auth-register"),
    re_path(r"^admin/auth/login/?$", views.AdminLoginView.as_view(), name="admin-auth-login"),
    re_path(r"^admin/auth/refresh-token/?$", views.AdminRefreshTokenView.as_view(), name="admin-auth-refresh-token"),
    re_path(r"^admin/auth/logout/?$", views.AdminLogoutView.as_view(), name="admin-auth-logout"),
    re_path(r"^admin/auth/me/?$", views.AdminMeView.as_view(), name="admin-auth-me"),
    *router.urls,
]
