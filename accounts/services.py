"""Writes about users and their sessions. Views, the Django admin, tasks and commands all come through here."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from accounts import selectors, sessions
from accounts.models import Role, User, UserManager, content_version_new
from accounts.tokens import FAMILY_CLAIM, SessionAccessToken, SessionRefreshToken, TokenPair, token_pair_issue
from animatic_vision.errors import Conflict, Forbidden, InvalidCredentials, InvalidInput, NotAuthenticated

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS = "Invalid email or password."
OLD_PASSWORD_INCORRECT = "Old password is incorrect."
INVALID_RESET_TOKEN = "Invalid or expired token."
REFRESH_MISSING = "Refresh token is missing. Log in again."
REFRESH_INVALID = "Refresh token is invalid or expired. Log in again."
REFRESH_REUSED = "Refresh token was already used. Every session of this account has been ended; log in again."
LAST_ADMIN_DEMOTE = "The last remaining admin cannot be demoted."
LAST_ADMIN_DELETE = "The last remaining admin cannot be deleted."
LAST_ADMIN_DEACTIVATE = "The last remaining admin cannot be deactivated."
ADMIN_ONLY = "Only an admin can do this."
RESET_EMAIL_SUBJECT = "Reset your Animatic Vision password"


def duplicate_email_error(email: str) -> InvalidInput:
    # The message names the email as stored: trimmed and lower-cased, whatever case the client sent.
    message = f"User with email '{email}' already exists."
    return InvalidInput(message, errors={"email": [message]})


class PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens (hash of the password hash, email and a timestamp; PASSWORD_RESET_TIMEOUT)."""

    key_salt = "accounts.services.PasswordResetTokens"


password_reset_tokens = PasswordResetTokens()


def password_validate(*, password: str, user: User, field: str) -> None:
    """Runs the configured password validators; their messages come back under `field`."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(f"{field}: {exc.messages[0]}", errors={field: list(exc.messages)}) from exc


# --- Users ---------------------------------------------------------------------------


def user_create(*, full_name: str, email: str, password: str, role: str = Role.USER) -> User:
    """Creates an account; the email must be unused, whatever its case."""
    email = UserManager.normalize_email_address(email)
    user = User(email=email, full_name=full_name.strip(), role=role)
    password_validate(password=password, user=user, field="password")
    if User.objects.filter(email=email).exists():
        raise duplicate_email_error(email)
    user.set_password(password)
    try:
        # A savepoint, so a concurrent duplicate leaves any outer transaction usable.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise duplicate_email_error(email) from exc
    return user


def user_update(
    *,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    password: str | None = None,
    role: str | None = None,
) -> User:
    """Changes any of name, email, password and role; a new password ends every session of that user."""
    with transaction.atomic():
        if role is not None and role != Role.ADMIN and user.role == Role.ADMIN:
            _ensure_not_last_admin(user=user, message=LAST_ADMIN_DEMOTE)
        fields = ["updated_at"]
        if full_name is not None:
            user.full_name = full_name.strip()
            fields.append("full_name")
        if email is not None:
            email = UserManager.normalize_email_address(email)
            if email != user.email and User.objects.filter(email=email).exclude(pk=user.pk).exists():
                raise duplicate_email_error(email)
            user.email = email
            fields.append("email")
        if role is not None:
            user.role = role
            fields.append("role")
        if password is not None:
            password_validate(password=password, user=user, field="password")
            user.set_password(password)
            user.token_version = F("token_version") + 1
            fields += ["password", "token_version"]
        try:
            with transaction.atomic():
                user.save(update_fields=fields)
        except IntegrityError as exc:
            raise duplicate_email_error(user.email) from exc
    user.refresh_from_db()
    return user


def user_role_set(*, user: User, role: str) -> User:
    """Gives the user a role; the last admin keeps theirs."""
    return user_update(user=user, role=role)


def user_password_set(*, user: User, password: str) -> None:
    """An admin sets a user's password: every session of that user ends."""
    user_update(user=user, password=password)


def user_delete(*, user: User) -> None:
    """Deletes the account and everything it owns; the last admin stays."""
    with transaction.atomic():
        if user.role == Role.ADMIN:
            _ensure_not_last_admin(user=user, message=LAST_ADMIN_DELETE)
        user.delete()


def user_staff_save(*, user: User) -> None:
    """Saves a user as staff edited them in the Django admin; the last active admin stays an active admin.

    The form checks the rule for a readable error; this checks it again with the admins' rows
    locked, so two staff members demoting the last two admins at once cannot both succeed.
    """
    with transaction.atomic():
        if user.pk is not None and not (user.role == Role.ADMIN and user.is_active):
            # Every active admin's row locked first, in one order (this one's included), then this row read.
            admins = selectors.admin_count(lock=True)
            before = User.objects.filter(pk=user.pk).values("role", "is_active").first()
            was_active_admin = before is not None and before["role"] == Role.ADMIN and before["is_active"]
            if was_active_admin and admins <= 1:
                raise Conflict(LAST_ADMIN_DEMOTE if user.role != Role.ADMIN else LAST_ADMIN_DEACTIVATE)
        user.save()


def users_content_changed(*, user_ids: Iterable[int]) -> None:
    """Locks these users' rows (in id order) and gives each a new content version, in the caller's transaction.

    For the apps that keep data under a user: call it first in the transaction of every write to
    that data, so the owner's row is locked before any row under it. The cached copy of each
    row (accounts.sessions) is dropped now and rewritten once the transaction commits, so the
    next request reads the new version in the round trip that already checks its token.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return
    User.objects.filter(pk__in=ids).update(content_version=content_version_new())
    for user_id in ids:
        sessions.user_state_invalidate(user_id)


def _ensure_not_last_admin(*, user: User, message: str) -> None:
    # The admin rows stay locked until the caller's transaction ends, so two
    # concurrent demotions cannot both see "another admin is left".
    if user.is_active and selectors.admin_count(lock=True) <= 1:
        raise Conflict(message)


def user_authenticate(*, email: str, password: str, admin_only: bool = False) -> User:
    """The active user with these credentials; the same error for an unknown email, a wrong password or a non-admin."""
    user = authenticate(None, email=email, password=password)
    if user is None or (admin_only and user.role != Role.ADMIN):
        raise InvalidCredentials(INVALID_CREDENTIALS)
    return user


# --- Sessions ----------------------------------------------------------------------------


def session_start(*, user: User) -> TokenPair:
    """A fresh token pair: a new login, the root of a new refresh-token family."""
    return token_pair_issue(user=user)


def session_refresh(*, raw_refresh: str | None, admin_only: bool = False) -> TokenPair:
    """Rotates a refresh token. A token presented twice means theft: every session of the user ends."""
    if not raw_refresh:
        raise NotAuthenticated(REFRESH_MISSING)
    try:
        token = SessionRefreshToken(raw_refresh)  # type: ignore[arg-type]  # simplejwt's stub: it takes the str
        user = sessions.user_for_token(token, check_denylist=False)
    except (TokenError, sessions.SessionInvalid) as exc:
        raise NotAuthenticated(REFRESH_INVALID) from exc
    if admin_only and user.role != Role.ADMIN:
        raise Forbidden(ADMIN_ONLY)
    if not sessions.token_consume(token):
        sessions_end_all(user=user)
        logger.warning("Refresh token reused for user %s: all sessions ended", user.pk)
        raise NotAuthenticated(REFRESH_REUSED)
    return token_pair_issue(user=user, family=token.get(FAMILY_CLAIM))


def session_end(*, access: SessionAccessToken, raw_refresh: str | None) -> None:
    """Logout: this access token and its refresh token are dead until they would have expired."""
    sessions.token_deny(access)
    if not raw_refresh:
        return
    try:
        refresh = SessionRefreshToken(raw_refresh)  # type: ignore[arg-type]  # simplejwt's stub: it takes the str
    except TokenError:
        return
    if refresh.get(api_settings.USER_ID_CLAIM) == access.get(api_settings.USER_ID_CLAIM):
        sessions.token_deny(refresh)


def sessions_end_all(*, user: User) -> None:
    """Ends every session of the user: tokens issued before now carry an outdated version."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    sessions.user_state_invalidate(user.pk)


# --- Passwords ------------------------------------------------------------------------------


def password_change(*, user: User, old_password: str, new_password: str) -> TokenPair:
    """Changes the password, ends all other sessions, and returns fresh tokens for this one."""
    if not user.check_password(old_password):
        raise InvalidInput(OLD_PASSWORD_INCORRECT, errors={"old_password": [OLD_PASSWORD_INCORRECT]})
    password_validate(password=new_password, user=user, field="new_password")
    user = user_update(user=user, password=new_password)
    return token_pair_issue(user=user)


def password_reset_request(*, email: str) -> None:
    """Queues a reset email for this address, whether or not an account has it.

    The task decides whether to send: the answer, its timing and its failures (a broker
    that is down) are the same for a known and an unknown email, so none reveals an account.
    """
    from accounts.tasks import password_reset_email_send_task

    password_reset_email_send_task.delay_on_commit(User.objects.normalize_email_address(email))


def password_reset_token_make(*, user: User) -> str:
    """An opaque token: the user id and Django's reset token, valid PASSWORD_RESET_TIMEOUT seconds, once."""
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{password_reset_tokens.make_token(user)}"


def password_reset_email_send(*, email: str) -> bool:
    """Sends the reset email (plain text and HTML) if an active account has this email. The token is never logged."""
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active:
        return False
    link = f"{settings.FRONTEND_URL}/reset-password?{urlencode({'token': password_reset_token_make(user=user)})}"
    context = {"full_name": user.full_name, "link": link, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    message = EmailMultiAlternatives(
        subject=RESET_EMAIL_SUBJECT,
        body=render_to_string("accounts/emails/password_reset.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("accounts/emails/password_reset.html", context), "text/html")
    message.send()
    return True


def _user_for_reset_token(token: str) -> User:
    uid, _, django_token = token.partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError) as exc:
        raise InvalidInput(INVALID_RESET_TOKEN) from exc
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not password_reset_tokens.check_token(user, django_token):
        raise InvalidInput(INVALID_RESET_TOKEN)
    return user


def password_reset_confirm(*, token: str, new_password: str) -> None:
    """Sets a new password from a reset token; the token dies with the old password, and every session ends."""
    user = _user_for_reset_token(token)
    password_validate(password=new_password, user=user, field="newPassword")
    with transaction.atomic():
        # Checked again under the row lock: two concurrent uses of one token cannot both succeed.
        user = User.objects.select_for_update().get(pk=user.pk)
        if not password_reset_tokens.check_token(user, token.partition(".")[2]):
            raise InvalidInput(INVALID_RESET_TOKEN)
        user_update(user=user, password=new_password)
