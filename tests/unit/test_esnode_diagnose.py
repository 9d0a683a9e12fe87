"""Plain reasons for a node that failed to start, read from its log tail."""

from __future__ import annotations

import pytest

from localnode.diagnose import diagnose


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        (
            "BindHttpException: Failed to bind to 127.0.0.1:9200\n"
            "Caused by: java.net.BindException: Address already in use",
            "already in use",
        ),
        (
            "java.lang.UnsupportedClassVersionError: org/elasticsearch/launcher/CliToolLauncher",
            "too old",
        ),
        (
            "Error occurred during initialization of VM\n"
            "Could not reserve enough space for object heap",
            "KENNISBRUG_ES_HEAP",
        ),
        (
            "# There is insufficient memory for the Java Runtime Environment to continue.",
            "KENNISBRUG_ES_HEAP",
        ),
        ("java.lang.OutOfMemoryError: Java heap space", "out of memory"),
        ("ERROR: [1] bootstrap checks failed\nbootstrap check failure [1] of [1]", "bootstrap"),
        ("java.lang.RuntimeException: can not run elasticsearch as root", "root"),
    ],
)
def test_known_failures_get_a_reason(log: str, expected: str) -> None:
    reason = diagnose(log)
    assert reason is not None and expected in reason


def test_unknown_failure_gets_no_invented_reason() -> None:
    assert diagnose("[INFO ][o.e.n.Node] starting ...") is None
