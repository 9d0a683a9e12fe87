"""The local Elasticsearch node manager: development, tests, benchmarks and the demo.

Public API: :class:`LocalNode` (start/stop/status of one node with our Dutch analysis
plugin) and :func:`ensure_plugin_zip` (build the plugin once, cached). The modules
inside are private to this package: ``dist`` (the integ-test distribution through
Maven), ``java`` (finding a JDK 21+), ``user`` (the unprivileged node user), ``config``
and ``home`` (the node folder), ``plugins`` (installing plugin zips), ``health`` and
``diagnose`` (status and plain-words failure reasons). Production talks to a real
cluster through ``KENNISBRUG_ES_URL`` and does not use this package.
"""

from __future__ import annotations

from localnode.node import LocalNode
from localnode.plugin import ensure_plugin_zip

__all__ = ["LocalNode", "ensure_plugin_zip"]
