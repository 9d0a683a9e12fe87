"""What counts as a usable secret key outside the local demo.

The secret signs session cookies and CSRF tokens: with a value anyone knows, anyone
can sign an admin session. ``secret_problem`` names what is wrong with a candidate
(missing, shorter than ``MIN_SECRET_BYTES`` bytes, or published: the old compose
default, examples from documentation and the like); ``kennisbrug web`` refuses to
start with it (``kennisbrug.preflight``). The local demo generates a random secret
per home folder instead and never reaches this check.
"""

from __future__ import annotations

MIN_SECRET_BYTES = 32

#: Values that were published somewhere (compose's old default, docs, tutorials) or that
#: people type when asked for "a secret"; compared case-insensitively without spaces,
#: dashes and underscores, so CHANGE_ME and change-me are both caught.
KNOWN_SECRETS = frozenset(
    {
        "changeme",
        "changemeplease",
        "changethis",
        "secret",
        "secretkey",
        "mysecret",
        "mysecretkey",
        "supersecret",
        "password",
        "kennisbrug",
        "kennisbrugsecret",
        "kennisbrugsecretkey",
        "default",
        "insecure",
        "development",
        "test",
        "example",
        "xxxxxxxx",
        "none",
        "null",
    }
)
#: A secret needs more variety than this many distinct characters (rules out "aaaa…").
MIN_DISTINCT_CHARACTERS = 10

GENERATE_HINT = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` must not be used, in one line; None when it is fine."""
    if not secret.strip():
        return f"KENNISBRUG_SECRET_KEY is not set; {GENERATE_HINT}"
    folded = "".join(ch for ch in secret.lower() if ch not in " -_.")
    if folded in KNOWN_SECRETS or folded.startswith("changeme"):
        return f"KENNISBRUG_SECRET_KEY is a published placeholder value; {GENERATE_HINT}"
    size = len(secret.encode("utf-8"))
    if size < MIN_SECRET_BYTES:
        return (
            f"KENNISBRUG_SECRET_KEY is {size} bytes; it needs at least {MIN_SECRET_BYTES}; "
            f"{GENERATE_HINT}"
        )
    if len(set(secret)) < MIN_DISTINCT_CHARACTERS:
        return f"KENNISBRUG_SECRET_KEY is not random (too few distinct characters); {GENERATE_HINT}"
    return None
