"""Accounts: local users, API tokens, sign-in throttling and the audit log.

Used by the CLI (``kennisbrug users|tokens``) to manage accounts and by the web app
to check credentials; both sides see the same rows in the state database. Passwords
are hashed with argon2id; tokens are random and kept only as a SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.account_tables import api_tokens, audit_log, sign_in_failures, users
from core.db import reading, writing
from core.errors import KennisbrugError
from core.job_model import aware
from core.store import utcnow

ROLES = ("staff", "admin")
MIN_PASSWORD = 8
#: Failed sign-ins allowed per user and address within THROTTLE_WINDOW.
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)


class AccountError(KennisbrugError):
    """An account or token request is invalid (unknown user, weak password, bad role)."""


class SignInThrottledError(AccountError):
    """Too many failed sign-ins for this user from this address; try again later."""


@dataclass(frozen=True, kw_only=True)
class Principal:
    """Who is asking: a signed-in user or an API token."""

    name: str
    role: str
    kind: str  # "user" | "token"
    id: int
    session_epoch: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> str:
        """The ``enqueued_by`` / audit form: ``admin:anne`` or ``api-token:nightly``."""
        return f"api-token:{self.name}" if self.kind == "token" else f"{self.role}:{self.name}"


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    ip: str | None


class Accounts:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = utcnow,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.hasher = hasher or PasswordHasher()

    # -- users ----------------------------------------------------------------------
    def add_user(self, username: str, password: str, role: str) -> Principal:
        username = _username(username)
        _check_role(role)
        _check_password(password)
        try:
            with writing(self.engine) as conn:
                result = conn.execute(
                    insert(users).values(
                        username=username,
                        password_hash=self.hasher.hash(password),
                        role=role,
                        created_at=self.clock(),
                        session_epoch=1,
                    )
                )
        except IntegrityError as exc:
            raise AccountError(f"user {username!r} already exists") from exc
        key = result.inserted_primary_key
        user_id = int(key[0]) if key else 0
        return Principal(name=username, role=role, kind="user", id=user_id, session_epoch=1)

    def set_password(self, username: str, password: str) -> None:
        _check_password(password)
        with writing(self.engine) as conn:
            result = conn.execute(
                update(users)
                .where(users.c.username == _username(username))
                .values(
                    password_hash=self.hasher.hash(password),
                    session_epoch=users.c.session_epoch + 1,
                )
            )
        if not result.rowcount:
            raise AccountError(f"no user {username!r}")

    def remove_user(self, username: str) -> None:
        with writing(self.engine) as conn:
            result = conn.execute(delete(users).where(users.c.username == _username(username)))
        if not result.rowcount:
            raise AccountError(f"no user {username!r}")

    def list_users(self) -> list[Principal]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(users).order_by(users.c.username)).all()
        return [_user(r) for r in rows]

    def user(self, user_id: int) -> Principal | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def authenticate(self, username: str, password: str, *, ip: str) -> Principal | None:
        """The user if the password matches; SignInThrottledError after too many failures."""
        name = username.strip().lower()[:64]
        since = self.clock() - THROTTLE_WINDOW
        with writing(self.engine) as conn:
            failures = conn.execute(
                select(func.count())
                .select_from(sign_in_failures)
                .where(
                    sign_in_failures.c.username == name,
                    sign_in_failures.c.ip == ip,
                    sign_in_failures.c.at >= since,
                )
            ).scalar_one()
            if failures >= MAX_FAILURES:
                raise SignInThrottledError(f"too many failed sign-ins for {name!r} from {ip}")
            row = conn.execute(select(users).where(users.c.username == name)).first()
            if row is not None and self._verify(row.password_hash, password):
                conn.execute(
                    delete(sign_in_failures).where(
                        sign_in_failures.c.username == name, sign_in_failures.c.ip == ip
                    )
                )
                return _user(row)
            conn.execute(insert(sign_in_failures).values(username=name, ip=ip, at=self.clock()))
        return None

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    # -- API tokens -------------------------------------------------------------------
    def add_token(self, name: str, role: str, *, created_by: str) -> str:
        """Create a token and return it; only its hash is stored, so show it now."""
        _check_role(role)
        token = "kb_" + secrets.token_urlsafe(32)
        try:
            with writing(self.engine) as conn:
                conn.execute(
                    insert(api_tokens).values(
                        name=_username(name),
                        token_hash=_token_hash(token),
                        role=role,
                        created_by=created_by,
                        created_at=self.clock(),
                    )
                )
        except IntegrityError as exc:
            raise AccountError(f"token {name!r} already exists") from exc
        return token

    def remove_token(self, name: str) -> None:
        with writing(self.engine) as conn:
            result = conn.execute(delete(api_tokens).where(api_tokens.c.name == _username(name)))
        if not result.rowcount:
            raise AccountError(f"no token {name!r}")

    def list_tokens(self) -> list[Principal]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(api_tokens).order_by(api_tokens.c.name)).all()
        return [Principal(name=r.name, role=r.role, kind="token", id=int(r.id)) for r in rows]

    def token_principal(self, token: str) -> Principal | None:
        with writing(self.engine) as conn:
            row = conn.execute(
                select(api_tokens).where(api_tokens.c.token_hash == _token_hash(token))
            ).first()
            if row is None:
                return None
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == row.id)
                .values(last_used_at=self.clock())
            )
        return Principal(name=row.name, role=row.role, kind="token", id=int(row.id))

    # -- audit ------------------------------------------------------------------------
    def audit(
        self,
        actor: str,
        action: str,
        target: str = "",
        *,
        detail: dict[str, Any] | None = None,
        ip: str | None = None,
    ) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                insert(audit_log).values(
                    at=self.clock(),
                    actor=actor[:128],
                    action=action[:64],
                    target=target,
                    detail=detail or {},
                    ip=ip,
                )
            )

    def audit_entries(self, *, limit: int = 100) -> list[AuditEntry]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
            return [
                AuditEntry(
                    at=aware(r.at) or self.clock(),
                    actor=r.actor,
                    action=r.action,
                    target=r.target,
                    detail=dict(r.detail or {}),
                    ip=r.ip,
                )
                for r in rows
            ]


def _user(row: Any) -> Principal:
    return Principal(
        name=row.username,
        role=row.role,
        kind="user",
        id=int(row.id),
        session_epoch=int(row.session_epoch),
    )


def _username(name: str) -> str:
    cleaned = name.strip().lower()
    if (
        not cleaned
        or len(cleaned) > 64
        or not cleaned.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise AccountError(f"{name!r} is not a valid name: use letters, digits, '.', '-', '_'")
    return cleaned


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
