"""The Auth and Admin API routes: validate the input, call one service, shape the output."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services, throttles
from accounts.authentication import REFRESH_COOKIE
from accounts.cookies import auth_cookies_delete, auth_cookies_set
from accounts.models import Role
from accounts.permissions import IsAdmin, request_user
from accounts.serializers import (
    AdminUserCreateInputSerializer,
    AdminUserListInputSerializer,
    AdminUserListOutputSerializer,
    AdminUserPasswordInputSerializer,
    AdminUserRoleInputSerializer,
    AdminUserRoleOutputSerializer,
    AdminUserUpdateInputSerializer,
    ChangePasswordInputSerializer,
    ForgotPasswordInputSerializer,
    LoginInputSerializer,
    RegisterInputSerializer,
    ResetPasswordInputSerializer,
    UserOutputSerializer,
    user_output,
)
from accounts.tokens import SessionAccessToken
from animatic_vision.api.responses import ErrorSerializer, envelope, envelope_serializer
from animatic_vision.api.routers import ID_PATTERN
from animatic_vision.errors import NotAuthenticated

UserEnvelope = envelope_serializer("UserEnvelope", UserOutputSerializer())
EmptyEnvelope = envelope_serializer("EmptyEnvelope")
UserListEnvelope = envelope_serializer("UserListEnvelope", AdminUserListOutputSerializer())
UserRoleEnvelope = envelope_serializer("UserRoleEnvelope", AdminUserRoleOutputSerializer())
ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (400, 401, 403, 404, 409, 429, 503)}


def user_data(user) -> dict:
    return user_output(user)


class PublicAuthView(APIView):
    """A route reached without a session: a stale or revoked cookie must not turn it into a 401."""

    authentication_classes = ()
    permission_classes = (AllowAny,)


class RegisterView(PublicAuthView):
    """Creates an account with the `user` role (a `role` in the body is ignored)."""

    throttle_classes = (throttles.RegisterThrottle,)

    @extend_schema(tags=["auth"], request=RegisterInputSerializer, responses={201: UserEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data, role=Role.USER)
        return envelope(user_data(user), "User registered successfully", status.HTTP_201_CREATED)


class LoginView(PublicAuthView):
    """Checks email and password and sets the `access_token` and `refresh_token` cookies."""

    throttle_classes = (throttles.LoginAddressThrottle, throttles.LoginEmailThrottle)
    admin_only = False

    @extend_schema(tags=["auth"], request=LoginInputSerializer, responses={200: UserEnvelope, **ERRORS}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_authenticate(**serializer.validated_data, admin_only=self.admin_only)
        response = envelope(user_data(user), "User login successfully")
        auth_cookies_set(response, services.session_start(user=user))
        return response


class RefreshTokenView(PublicAuthView):
    """Rotates the refresh cookie: new access and refresh tokens; the old refresh token is dead."""

    admin_only = False

    @extend_schema(tags=["auth"], request=None, responses={200: EmptyEnvelope, **ERRORS})
    def get(self, request: Request) -> Response:
        pair = services.session_refresh(raw_refresh=request.COOKIES.get(REFRESH_COOKIE), admin_only=self.admin_only)
        response = envelope(None, "token generated successfully")
        auth_cookies_set(response, pair)
        return response


class LogoutView(APIView):
    """Revokes this session's access and refresh tokens and deletes both cookies."""

    permission_classes: tuple[type[BasePermission], ...] = (IsAuthenticated,)

    @extend_schema(tags=["auth"], request=None, responses={200: EmptyEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        access = request.auth
        if not isinstance(access, SessionAccessToken):  # IsAuthenticated let in only a session's access token
            raise NotAuthenticated()
        services.session_end(access=access, raw_refresh=request.COOKIES.get(REFRESH_COOKIE))
        response = envelope(None, "User logged out successfully")
        auth_cookies_delete(response)
        return response


class MeView(APIView):
    """The logged-in user."""

    permission_classes: tuple[type[BasePermission], ...] = (IsAuthenticated,)

    @extend_schema(tags=["auth"], responses={200: UserEnvelope, **ERRORS})
    def get(self, request: Request) -> Response:
        return envelope(user_data(request.user), "User data")


class ChangePasswordView(APIView):
    """Changes the password: every other session ends, this one gets fresh cookies."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=["auth"], request=ChangePasswordInputSerializer, responses={200: EmptyEnvelope, **ERRORS})
    def put(self, request: Request) -> Response:
        serializer = ChangePasswordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.password_change(user=request_user(request), **serializer.validated_data)
        response = envelope(None, "Password changed successfully")
        auth_cookies_set(response, pair)
        return response


class ForgotPasswordView(PublicAuthView):
    """Emails a reset link if the account exists; the answer is the same either way."""

    throttle_classes = (throttles.ForgotPasswordAddressThrottle, throttles.ForgotPasswordEmailThrottle)

    @extend_schema(tags=["auth"], request=ForgotPasswordInputSerializer, responses={200: EmptyEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = ForgotPasswordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(**serializer.validated_data)
        return envelope(None, "If an account exists for this email, a password reset link has been sent.")


class ResetPasswordView(PublicAuthView):
    """Sets a new password from the emailed token; every session of the account ends."""

    throttle_classes = (throttles.ResetPasswordThrottle,)

    @extend_schema(tags=["auth"], request=ResetPasswordInputSerializer, responses={200: EmptyEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = ResetPasswordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return envelope(None, "Password reset successfully")


# --- The admin twins ------------------------------------------------------------------------


class AdminLoginView(LoginView):
    """Login for admins only; anyone else gets the same 401 as a wrong password."""

    admin_only = True

    @extend_schema(tags=["admin"], request=LoginInputSerializer, responses={200: UserEnvelope, **ERRORS}, auth=[])
    def post(self, request: Request) -> Response:
        return super().post(request)


class AdminRefreshTokenView(RefreshTokenView):
    """Rotates an admin's refresh cookie."""

    admin_only = True

    @extend_schema(tags=["admin"], request=None, responses={200: EmptyEnvelope, **ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)


class AdminLogoutView(LogoutView):
    """Logout for admins."""

    permission_classes = (IsAdmin,)

    @extend_schema(tags=["admin"], request=None, responses={200: EmptyEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        return super().post(request)


class AdminMeView(MeView):
    """The logged-in admin."""

    permission_classes = (IsAdmin,)

    @extend_schema(tags=["admin"], responses={200: UserEnvelope, **ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)


class AdminRegisterView(APIView):
    """A logged-in admin creates another admin."""

    permission_classes = (IsAdmin,)

    @extend_schema(tags=["admin"], request=RegisterInputSerializer, responses={201: UserEnvelope, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data, role=Role.ADMIN)
        return envelope(user_data(user), "Admin registered successfully", status.HTTP_201_CREATED)


@extend_schema(tags=["admin"])
class AdminUserViewSet(viewsets.GenericViewSet):
    """The admin pages' user management. PUT takes any subset of the fields (the contract's update);
    there is no PATCH on a user, only on its role and its password."""

    permission_classes = (IsAdmin,)
    serializer_class = UserOutputSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.user_list()

    def get_object(self):
        return selectors.user_get(user_id=int(self.kwargs["pk"]))

    @extend_schema(parameters=[AdminUserListInputSerializer], responses={200: UserListEnvelope, **ERRORS})
    def list(self, request: Request) -> Response:
        params = AdminUserListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page, limit = params.validated_data["page"], params.validated_data["limit"]
        users = selectors.user_list(q=params.validated_data.get("q"), role=params.validated_data.get("role"))
        data = {
            "items": UserOutputSerializer(users[(page - 1) * limit : page * limit], many=True).data,
            "total": users.count(),
            "page": page,
            "limit": limit,
        }
        return envelope(data, "Users fetched successfully")

    @extend_schema(request=AdminUserCreateInputSerializer, responses={201: UserEnvelope, **ERRORS})
    def create(self, request: Request) -> Response:
        serializer = AdminUserCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return envelope(user_data(user), "User created successfully", status.HTTP_201_CREATED)

    @extend_schema(responses={200: UserEnvelope, **ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        return envelope(user_data(self.get_object()), "User fetched successfully")

    @extend_schema(request=AdminUserUpdateInputSerializer, responses={200: UserEnvelope, **ERRORS})
    def update(self, request: Request, pk: str) -> Response:
        serializer = AdminUserUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=self.get_object(), **serializer.validated_data)
        return envelope(user_data(user), "User updated successfully")

    @extend_schema(request=AdminUserRoleInputSerializer, responses={200: UserRoleEnvelope, **ERRORS})
    @action(detail=True, methods=["patch"], url_path="role")
    def role(self, request: Request, pk: str) -> Response:
        serializer = AdminUserRoleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_role_set(user=self.get_object(), **serializer.validated_data)
        return envelope(AdminUserRoleOutputSerializer(user).data, "User role updated successfully")

    @extend_schema(request=AdminUserPasswordInputSerializer, responses={200: EmptyEnvelope, **ERRORS})
    @action(detail=True, methods=["patch"], url_path="password")
    def password(self, request: Request, pk: str) -> Response:
        serializer = AdminUserPasswordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_set(user=self.get_object(), **serializer.validated_data)
        return envelope(None, "User password updated successfully")

    @extend_schema(responses={200: EmptyEnvelope, **ERRORS})
    def destroy(self, request: Request, pk: str) -> Response:
        services.user_delete(user=self.get_object())
        return envelope(None, "User deleted successfully")
