"""Accounts, tokens, sign-in throttling and the query log (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from core.account_tables import query_log
from core.accounts import (
    FREE_FAILURES,
    MAX_BACKOFF,
    MAX_FAILURES,
    MAX_FAILURES_PER_ADDRESS,
    AccountError,
    Accounts,
    SignInThrottledError,
    backoff,
)
from core.db import make_engine
from core.query_log import QueryLogWriter, prune, record_query, top_queries

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


class CountingHasher(PasswordHasher):
    """The cheap hasher, counting password checks (unknown users must cost one too)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


def test_an_unknown_user_costs_one_password_check_like_a_wrong_password(clock: Clock) -> None:
    hasher = CountingHasher()
    accounts = Accounts(make_engine("sqlite:///:memory:"), clock=clock, hasher=hasher)
    accounts.add_user("anne", "geheim-genoeg", "admin")
    assert accounts.authenticate("anne", "fout-wachtwoord", ip="10.0.0.1") is None
    assert hasher.verified == 1
    assert accounts.authenticate("niemand", "fout-wachtwoord", ip="10.0.0.2") is None
    assert hasher.verified == 2
    # The dummy hash never lets anyone in, whatever the password.
    assert accounts.authenticate("niemand", "", ip="10.0.0.3") is None


def test_backoff_doubles_and_the_right_password_works_once_it_is_over(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.add_user("anne", "geheim-genoeg", "admin")
    for _ in range(FREE_FAILURES):
        assert accounts.authenticate("anne", "raden", ip="10.0.0.9") is None
    waits = []
    for _ in range(4):
        with pytest.raises(SignInThrottledError) as refused:
            accounts.authenticate("anne", "raden", ip="10.0.0.9")
        waits.append(refused.value.retry_after)
        clock.now += backoff(FREE_FAILURES + len(waits) - 1)
        assert accounts.authenticate("anne", "raden", ip="10.0.0.9") is None  # counted again
    assert waits == [30, 60, 120, 240]
    assert backoff(1000) == MAX_BACKOFF
    clock.now += backoff(FREE_FAILURES + 4)
    assert accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.9") is not None


def test_one_address_guessing_many_accounts_is_refused_but_others_still_sign_in(
    accounts: Accounts,
) -> None:
    accounts.add_user("anne", "geheim-genoeg", "admin")
    for n in range(MAX_FAILURES_PER_ADDRESS):
        assert accounts.authenticate(f"gebruiker{n}", "raden", ip="10.6.6.6") is None
    with pytest.raises(SignInThrottledError):
        accounts.authenticate("anne", "geheim-genoeg", ip="10.6.6.6")
    assert accounts.authenticate("anne", "geheim-genoeg", ip="10.0.0.1") is not None


def test_sessions_end_on_sign_out_idle_age_password_change_and_everywhere(
    accounts: Accounts, clock: Clock
) -> None:
    anne = accounts.add_user("anne", "geheim-genoeg", "admin")
    idle, absolute = timedelta(minutes=30), timedelta(hours=3)

    def alive(sid: str) -> bool:
        return accounts.session_user(sid, idle=idle, absolute=absolute) is not None

    first = accounts.start_session(anne)
    assert alive(first)
    accounts.end_session(first)
    assert not alive(first)  # signed out: the same cookie is worthless

    idle_one = accounts.start_session(anne)
    clock.now += timedelta(minutes=20)
    assert alive(idle_one)  # use keeps it alive ...
    clock.now += timedelta(minutes=20)
    assert alive(idle_one)
    clock.now += timedelta(minutes=31)
    assert not alive(idle_one)  # ... a pause longer than the idle time ends it

    old = accounts.start_session(anne)
    for _ in range(9):
        clock.now += timedelta(minutes=25)
        alive(old)
    assert not alive(old)  # used all along, still over the absolute limit

    laptop, phone = accounts.start_session(anne), accounts.start_session(anne)
    assert accounts.end_all_sessions(anne.id) == 2
    assert not alive(laptop) and not alive(phone)

    again = accounts.start_session(anne)
    accounts.set_password("anne", "nieuw-geheim-1")
    assert not alive(again)


def test_the_query_log_writer_batches_in_the_background_and_prunes(
    clock: Clock, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'state.db'}")  # the thread has its own connection
    writer = QueryLogWriter(engine, days=90, max_rows=3, linger=0.05, prune_seconds=0, clock=clock)
    big = {"trefwoord": [f"woord-{n}" * 40 for n in range(50)]}
    for n in range(5):
        writer.submit(f"vraag {n}", n, big)
    writer.submit("   ", 0)  # empty: not logged
    writer.flush()
    assert writer.written == 5

    def rows() -> list[tuple[str, dict[str, list[str]]]]:
        with engine.connect() as conn:
            found = conn.execute(
                select(query_log.c.q, query_log.c.filters).order_by(query_log.c.id)
            )
            return [(r.q, r.filters) for r in found]

    # The row cap keeps the newest 3; filters are capped, not ~8 KB per row.
    assert [q for q, _ in rows()] == ["vraag 2", "vraag 3", "vraag 4"]
    assert all(len(json.dumps(f)) < 1000 for _, f in rows())
    clock.now += timedelta(days=91)
    writer.submit("nieuw", 1)
    writer.flush()
    assert [q for q, _ in rows()] == ["nieuw"]  # retention: older than 90 days is gone
    assert prune(engine, days=90, max_rows=3, clock=clock) == 0
    writer.close()


def test_a_full_query_log_buffer_drops_instead_of_blocking(clock: Clock) -> None:
    writer = QueryLogWriter(make_engine("sqlite:///:memory:"), buffer=2, linger=5, clock=clock)
    for n in range(10):
        writer.submit(f"vraag {n}", 1)  # returns at once even though nothing is written yet
    assert writer.dropped >= 7
    writer.close()


def test_expired_tokens_stop_working_and_use_is_recorded(accounts: Accounts, clock: Clock) -> None:
    lasting = accounts.add_token("altijd", "staff", created_by="cli")
    brief = accounts.add_token(
        "kort", "admin", created_by="cli", expires_at=clock.now + timedelta(days=1)
    )
    assert accounts.token_principal(brief) is not None
    clock.now += timedelta(days=1)
    assert accounts.token_principal(brief) is None  # expired
    assert accounts.token_principal(lasting) is not None
    details = {t.name: t for t in accounts.token_details()}
    assert details["altijd"].last_used_at == clock.now and details["altijd"].expires_at is None
    assert details["kort"].expires_at is not None
