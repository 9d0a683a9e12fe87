"""The CLI reports our errors as one plain line with exit code 1, never a traceback."""

from __future__ import annotations

import pytest

from kennisbrug.cli import app


def test_bad_setting_is_a_plain_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The heap is checked when the node object is built, before any download or process.
    monkeypatch.setenv("KENNISBRUG_ES_HEAP", "lots")

    with pytest.raises(SystemExit) as exit_info:
        app(["es", "start"], prog_name="kennisbrug")

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "KENNISBRUG_ES_HEAP" in err
    assert "Traceback" not in err


def test_es_sub_app_lists_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        app(["es", "--help"], prog_name="kennisbrug")

    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("start", "stop", "status", "logs"):
        assert command in out


def test_an_impossible_cluster_size_is_a_plain_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        app(["es", "start", "--nodes", "12"], prog_name="kennisbrug")

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "1 to 9 nodes" in err and "Traceback" not in err
