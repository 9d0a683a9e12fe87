"""Turn the tail of a failed node's log into one plain reason (pure function).

Used by ``esnode`` when the local Elasticsearch node exits or does not become
healthy: the person at the terminal gets a sentence and a way forward first,
the raw log lines after it.
"""

from __future__ import annotations

# (substring in the log, reason shown to people). First match wins, so the more
# specific patterns come first.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("address already in use", "the HTTP port is already in use by another program"),
    ("bindexception", "the HTTP port is already in use by another program"),
    (
        "unsupportedclassversionerror",
        "the Java runtime is too old; Elasticsearch 9 needs Java 21+ (set ES_JAVA_HOME)",
    ),
    ("requires java", "the Java runtime is too old; Elasticsearch 9 needs Java 21+"),
    (
        "could not reserve enough space",
        "not enough memory for the heap; lower KENNISBRUG_ES_HEAP (e.g. 256m)",
    ),
    (
        "insufficient memory for the java runtime",
        "not enough memory for the heap; lower KENNISBRUG_ES_HEAP (e.g. 256m)",
    ),
    ("outofmemoryerror", "out of memory; lower KENNISBRUG_ES_HEAP or free memory"),
    ("cannot allocate memory", "out of memory; lower KENNISBRUG_ES_HEAP or free memory"),
    ("can not run elasticsearch as root", "Elasticsearch refuses to run as root"),
    ("bootstrap check failure", "a bootstrap check failed (see the log lines below)"),
    ("accessdeniedexception", "Elasticsearch may not read or write one of its folders"),
    (
        "failed to obtain node locks",
        "the data folder is locked by another Elasticsearch process",
    ),
    ("unknown setting", "the node configuration holds a setting this distribution rejects"),
    ("pluginexception", "a plugin could not be loaded"),
)


def diagnose(log_tail: str) -> str | None:
    """A short reason for the failure visible in ``log_tail``, or None when unclear."""
    lowered = log_tail.lower()
    for needle, reason in _PATTERNS:
        if needle in lowered:
            return reason
    return None
