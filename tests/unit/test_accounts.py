"""Accounts, tokens, sign-in throttling and the query log (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from core.accounts import MAX_FAILURES, AccountError, Accounts, SignInThrottledError
from core.db import make_engine
from core.query_log import record_query, top_queries

# Cheap parameters: the tests check behaviour, not the cost of the hash.
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2010, 11, 11, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(clock: Clock, db_url: str) -> Accounts:
    return Accounts(make_engine(db_url), clock=clock, hasher=FAST)


def test_passwords_are_hashed_with_argon2_and_checked(accounts: Accounts) -> None:
    anne = accounts.add_user("Anne", "geheim-genoeg", "admin")
    assert anne.name == "anne" and anne.is_admin and anne.actor == "admin:anne"
    with accounts.engine.connect() as conn:
        stored: str = conn.exec_driver_sql("select password_hash from users").scalar_one()
    assert stored.startswith("$argon2id$") and "geheim" not in stored
    assert accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.1") == anne
    assert accounts.authenticate("anne", "fout-wachtwoord", ip="10.0.0.1") is None
    assert accounts.authenticate("niemand", "geheim-genoeg", ip="10.0.0.1") is None


def test_bad_roles_names_and_short_passwords_are_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="role"):
        accounts.add_user("anne", "geheim-genoeg", "root")
    with pytest.raises(AccountError, match="characters"):
        accounts.add_user("anne", "kort", "staff")
    with pytest.raises(AccountError, match="valid name"):
        accounts.add_user("anne smit", "geheim-genoeg", "staff")
    accounts.add_user("anne", "geheim-genoeg", "staff")
    with pytest.raises(AccountError, match="exists"):
        accounts.add_user("ANNE", "geheim-genoeg", "staff")


def test_failed_sign_ins_are_throttled_per_user_and_address(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.add_user("anne", "geheim-genoeg", "admin")
    for _ in range(MAX_FAILURES):
        assert accounts.authenticate("anne", "raden", ip="10.0.0.9") is None
    with pytest.raises(SignInThrottledError):
        accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.9")  # even the right one
    assert accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.1") is not None
    clock.now += timedelta(minutes=16)
    assert accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.9") is not None


def test_a_password_change_ends_old_sessions(accounts: Accounts) -> None:
    anne = accounts.add_user("anne", "geheim-genoeg", "admin")
    accounts.set_password("anne", "nieuw-geheim-1")
    changed = accounts.user(anne.id)
    assert changed is not None and changed.session_epoch == anne.session_epoch + 1
    accounts.remove_user("anne")
    assert accounts.user(anne.id) is None
    with pytest.raises(AccountError):
        accounts.remove_user("anne")


def test_tokens_are_shown_once_and_stored_as_hashes(accounts: Accounts) -> None:
    token = accounts.add_token("nightly", "admin", created_by="cli")
    with accounts.engine.connect() as conn:
        stored: str = conn.exec_driver_sql("select token_hash from api_tokens").scalar_one()
    assert token not in stored
    who = accounts.token_principal(token)
    assert who is not None and who.kind == "token" and who.actor == "api-token:nightly"
    assert accounts.token_principal(token + "x") is None
    accounts.remove_token("nightly")
    assert accounts.token_principal(token) is None


def test_audit_log_keeps_who_did_what(accounts: Accounts) -> None:
    accounts.audit("admin:anne", "crawl", "ekic", detail={"job": 7}, ip="10.0.0.1")
    [entry] = accounts.audit_entries()
    assert (entry.actor, entry.action, entry.target, entry.detail) == (
        "admin:anne", "crawl", "ekic", {"job": 7},
    )  # fmt: skip


def test_query_log_top_and_zero_result_queries(accounts: Accounts, clock: Clock) -> None:
    engine = accounts.engine
    old = clock.now - timedelta(days=40)
    record_query(engine, "oude vraag", 0, clock=lambda: old)
    for q, hits in [("Leesclub  organiseren", 12), ("leesclub organiseren", 12), ("bieb", 30),
                    ("laaggeletterdheid 2011", 0), ("", 5)]:  # fmt: skip
        record_query(engine, q, hits, {"provincie": ["Limburg"]}, clock=clock)
    top = top_queries(engine, clock=clock)
    assert [(s.q, s.count) for s in top] == [
        ("leesclub organiseren", 2), ("bieb", 1), ("laaggeletterdheid 2011", 1),
    ]  # fmt: skip
    zero = top_queries(engine, zero_only=True, clock=clock)
    assert [s.q for s in zero] == ["laaggeletterdheid 2011"]  # the 40-day-old one is out
