"""Accounts: local users, API tokens, sign-in throttling and the audit log.

Used by the CLI (``kennisbrug users|tokens``) to manage accounts and by the web app
to check credentials; both sides see the same rows in the state database. Passwords
are hashed with argon2id; tokens are random and kept only as a SHA-256.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.account_tables import (
    api_tokens,
    audit_log,
    sign_in_failures,
    users,
    web_sessions,
)
from core.db import reading, writing
from core.errors import KennisbrugError
from core.job_model import aware
from core.store import utcnow

ROLES = ("staff", "admin")
MIN_PASSWORD = 8
#: Failed sign-ins counted within this window (older ones are forgotten).
THROTTLE_WINDOW = timedelta(minutes=15)
#: Failures for one account from one address before each next try must wait ...
FREE_FAILURES = 5
#: ... this long, doubling with every further failure, ...
FIRST_BACKOFF = timedelta(seconds=30)
#: ... but never longer than this.
MAX_BACKOFF = timedelta(minutes=15)
#: Failures from one address (any accounts) within the window before it is refused.
MAX_FAILURES_PER_ADDRESS = 30
#: Kept for callers that count to the first refusal: FREE_FAILURES failures are free.
MAX_FAILURES = FREE_FAILURES
#: last_seen_at of a session is written at most this often (one write a minute, not per request).
SESSION_TOUCH = timedelta(seconds=60)


def make_hasher() -> PasswordHasher:
    """argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

    argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took over a second per sign-in
    on the 2-core production-sized machine under load, which is also a cheap way to
    tie up the web process; these parameters stay well within current guidance.
    """
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class AccountError(KennisbrugError):
    """An account or token request is invalid (unknown user, weak password, bad role)."""


class SignInThrottledError(AccountError):
    """Too many failed sign-ins for this user from this address, or from this address."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


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
class TokenInfo:
    """What ``kennisbrug tokens list`` shows of a token (never the token itself)."""

    name: str
    role: str
    created_by: str
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime | None


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
        self.hasher = hasher or make_hasher()
        self._dummy_hash: str | None = None

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
            if result.rowcount:
                _end_sessions_of(conn, _username(username), self.clock())
        if not result.rowcount:
            raise AccountError(f"no user {username!r}")

    def remove_user(self, username: str) -> None:
        with writing(self.engine) as conn:
            _end_sessions_of(conn, _username(username), self.clock())
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
        """The user if the password matches, else None; SignInThrottledError when refused.

        Refused without checking the password: an address with too many failures (any
        accounts), or an account tried from this address again before its backoff is
        over (FIRST_BACKOFF after the FREE_FAILURES-th failure, doubling up to MAX_BACKOFF). Only
        failures from the same address slow an account down, so guesses from elsewhere
        never lock the real user out. An unknown user costs one password check against
        a dummy hash, exactly like a wrong password: both answers take the same time.
        """
        name = username.strip().lower()[:64]
        now = self.clock()
        since = now - THROTTLE_WINDOW
        with writing(self.engine) as conn:
            from_address = conn.execute(
                select(func.count())
                .select_from(sign_in_failures)
                .where(sign_in_failures.c.ip == ip, sign_in_failures.c.at >= since)
            ).scalar_one()
            if from_address >= MAX_FAILURES_PER_ADDRESS:
                raise SignInThrottledError(
                    f"too many failed sign-ins from {ip}",
                    retry_after=int(THROTTLE_WINDOW.total_seconds()),
                )
            mine = conn.execute(
                select(func.count(), func.max(sign_in_failures.c.at)).where(
                    sign_in_failures.c.username == name,
                    sign_in_failures.c.ip == ip,
                    sign_in_failures.c.at >= since,
                )
            ).one()
            wait = backoff(int(mine[0]))
            last_at = aware(mine[1])
            if wait and last_at is not None and now < last_at + wait:
                left = (last_at + wait - now).total_seconds()
                raise SignInThrottledError(
                    f"sign-in for {name!r} from {ip} is backing off", retry_after=math.ceil(left)
                )
            row = conn.execute(select(users).where(users.c.username == name)).first()
            stored = row.password_hash if row is not None else self._dummy()
            if self._verify(stored, password) and row is not None:
                if self.hasher.check_needs_rehash(row.password_hash):
                    # Older parameters: re-hash now, so every check costs the same.
                    conn.execute(
                        update(users)
                        .where(users.c.id == row.id)
                        .values(password_hash=self.hasher.hash(password))
                    )
                conn.execute(
                    delete(sign_in_failures).where(
                        sign_in_failures.c.username == name, sign_in_failures.c.ip == ip
                    )
                )
                return _user(row)
            conn.execute(insert(sign_in_failures).values(username=name, ip=ip, at=now))
        return None

    def _dummy(self) -> str:
        """A hash with this hasher's parameters, checked for unknown users (same cost)."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    # -- sessions ---------------------------------------------------------------------
    def start_session(self, user: Principal, *, ip: str | None = None) -> str:
        """A new server-side session for ``user``; returns the id for the cookie."""
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(
                insert(web_sessions).values(
                    id=_token_hash(sid), user_id=user.id, created_at=now, last_seen_at=now, ip=ip
                )
            )
        return sid

    def session_user(self, sid: str, *, idle: timedelta, absolute: timedelta) -> Principal | None:
        """The user of a live session; None once ended, idle too long or too old."""
        now = self.clock()
        key = _token_hash(sid)
        with reading(self.engine) as conn:
            row = conn.execute(
                select(web_sessions.c.created_at, web_sessions.c.last_seen_at, users)
                .join(users, users.c.id == web_sessions.c.user_id)
                .where(web_sessions.c.id == key, web_sessions.c.ended_at.is_(None))
            ).first()
        if row is None:
            return None
        created, seen = aware(row.created_at), aware(row.last_seen_at)
        if created is None or seen is None or now >= created + absolute or now >= seen + idle:
            self.end_session(sid)
            return None
        if now - seen >= SESSION_TOUCH:
            with writing(self.engine) as conn:
                conn.execute(
                    update(web_sessions).where(web_sessions.c.id == key).values(last_seen_at=now)
                )
        return _user(row)

    def end_session(self, sid: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.id == _token_hash(sid), web_sessions.c.ended_at.is_(None))
                .values(ended_at=self.clock())
            )

    def end_all_sessions(self, user_id: int) -> int:
        """Sign a user out everywhere; returns how many sessions were live."""
        with writing(self.engine) as conn:
            result = conn.execute(
                update(web_sessions)
                .where(web_sessions.c.user_id == user_id, web_sessions.c.ended_at.is_(None))
                .values(ended_at=self.clock())
            )
        return int(result.rowcount or 0)

    def add_token(
        self, name: str, role: str, *, created_by: str, expires_at: datetime | None = None
    ) -> str:
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
                        expires_at=expires_at,
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

    def token_details(self) -> list[TokenInfo]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(api_tokens).order_by(api_tokens.c.name)).all()
        return [
            TokenInfo(name=r.name, role=r.role, created_by=r.created_by,
                      created_at=aware(r.created_at), last_used_at=aware(r.last_used_at),
                      expires_at=aware(r.expires_at))
            for r in rows
        ]  # fmt: skip

    def token_principal(self, token: str) -> Principal | None:
        """The token's principal; None for an unknown or expired token."""
        now = self.clock()
        with writing(self.engine) as conn:
            row = conn.execute(
                select(api_tokens).where(api_tokens.c.token_hash == _token_hash(token))
            ).first()
            if row is None:
                return None
            expires = aware(row.expires_at)
            if expires is not None and now >= expires:
                return None
            conn.execute(
                update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now)
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


def backoff(failures: int) -> timedelta:
    """How long to wait after ``failures`` failed sign-ins (account + address)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_BACKOFF * (1 << min(failures - FREE_FAILURES, 20)), MAX_BACKOFF)


def _end_sessions_of(conn: Any, username: str, now: datetime) -> None:
    ids = select(users.c.id).where(users.c.username == username).scalar_subquery()
    conn.execute(
        update(web_sessions)
        .where(web_sessions.c.user_id == ids, web_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
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
