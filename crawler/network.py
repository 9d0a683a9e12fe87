"""Network failures named as reason codes (``core.reasons``) for the admin pages.

A request that fails below HTTP (refused, no such host, TLS, a connection dropped
mid-answer) raises whatever urllib3, requests or the operating system raise; the
report keeps that English text for the CLI and the logs, and ``/beheer`` shows the
code in the admin's language.
"""

from __future__ import annotations

import http.client
import socket
import ssl

import requests
import urllib3

from core import reasons


def is_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` is a timeout (connecting or reading), also when wrapped.

    A read timeout while streaming the body surfaces as requests.ConnectionError
    wrapping urllib3's ReadTimeoutError, or as that error itself from read1.
    """
    return _timed_out(exc) or any(_timed_out(arg) for arg in exc.args)


def _timed_out(err: object) -> bool:
    # urllib3's NewConnectionError (refused, name not found) is a ConnectTimeoutError
    # subclass for history's sake; it is not a timeout (requests makes the same exception).
    return isinstance(err, requests.Timeout | urllib3.exceptions.TimeoutError) and not isinstance(
        err, urllib3.exceptions.NewConnectionError
    )


def network_reason(exc: BaseException) -> reasons.Reason:
    """What kind of network failure ``exc`` is, as a reason code the admin pages translate.

    urllib3 wraps the operating system's error (in ``reason``, the cause or the
    arguments), so the whole chain is searched for the first error we can name.
    """
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        err = todo.pop(0)
        if not isinstance(err, BaseException) or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, ConnectionRefusedError):
            return reasons.reason("fetch_refused")
        if isinstance(err, socket.gaierror | urllib3.exceptions.NameResolutionError):
            return reasons.reason("fetch_name")
        if isinstance(err, ssl.SSLError | urllib3.exceptions.SSLError):
            return reasons.reason("fetch_tls")
        if isinstance(
            err, ConnectionResetError | BrokenPipeError | http.client.IncompleteRead
            | http.client.RemoteDisconnected | urllib3.exceptions.ProtocolError,
        ):  # fmt: skip
            return reasons.reason("fetch_dropped")
        todo += [getattr(err, "reason", None), err.__cause__, err.__context__, *err.args]
    return reasons.reason("fetch_network", kind=type(exc).__name__)
