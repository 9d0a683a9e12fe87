"""Choosing a Java runtime for the local node (pure parsing and choice, no processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import NodeError
from localnode.java import INSTALL_HINT, choose_java, parse_java_major


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "25.0.3" 2026-04-21 LTS\nOpenJDK Runtime Environment Temurin', 25),
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK 64-Bit Server VM', 17),
        ('java version "1.8.0_392"\nJava(TM) SE Runtime Environment', 8),
        ('openjdk version "21" 2023-09-19', 21),
        ('openjdk version "26-ea" 2026-03-17', 26),
        ("bash: java: command not found", None),
        ('openjdk version "weird"', None),
    ],
)
def test_parse_java_major(output: str, major: int | None) -> None:
    assert parse_java_major(output) == major


def test_first_suitable_candidate_wins() -> None:
    probed = [(Path("/es-java"), 17), (Path("/jdk25"), 25), (Path("/jdk21"), 21)]
    chosen = choose_java(probed)
    assert (chosen.path, chosen.major) == (Path("/jdk25"), 25)


def test_no_suitable_java_says_what_to_install() -> None:
    with pytest.raises(NodeError) as err:
        choose_java([(Path("/jdk17"), 17), (Path("/broken"), None)])
    assert "Java 21+" in str(err.value)
    assert INSTALL_HINT in str(err.value)
