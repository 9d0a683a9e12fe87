"""docker-compose.yml, parsed: services, required secrets, health checks, volumes, the
cluster profile, and the web/worker commands the installed-wheel smoke test runs."""

from __future__ import annotations

import re

from core.settings import ENV_PREFIX, Settings
from tests.deployment import COMPOSE_FILE, SMOKE_COMMANDS, compose_environment, load_compose

REQUIRED = {"KENNISBRUG_SECRET_KEY", "POSTGRES_PASSWORD"}
CLUSTER = ("es01", "es02", "es03")


def test_the_services_and_their_profiles() -> None:
    services = load_compose()["services"]
    assert set(services) == {"elasticsearch", *CLUSTER, "postgres", "web", "worker"}
    for name in CLUSTER:
        assert services[name]["profiles"] == ["cluster"]
    for name in ("elasticsearch", "postgres", "web", "worker"):
        assert "profiles" not in services[name]


def test_web_and_worker_run_exactly_what_the_smoke_test_runs() -> None:
    services = load_compose()["services"]
    assert services["web"]["command"] == SMOKE_COMMANDS["web"]
    assert services["worker"]["command"] == SMOKE_COMMANDS["worker"]
    # One image, one environment: the smoke test gives both processes the same variables.
    assert compose_environment("web") == compose_environment("worker")
    assert services["web"]["image"] == services["worker"]["image"]


def test_secrets_have_no_defaults_and_compose_refuses_to_start_without_them() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    references = re.findall(r"\$\{([A-Z_]+)(:?[-?])?([^}]*)\}", text)
    required = {name for name, op, _ in references if op == ":?"}
    defaulted = {name for name, op, _ in references if op == ":-"}
    assert required == REQUIRED
    assert not defaulted & REQUIRED
    for _name, op, message in references:
        if op == ":?":
            assert "docs/deployment.md" in message  # the error tells where to read more
    assert "change-me" not in text.lower()
    env = compose_environment("web")
    assert env["KENNISBRUG_SECRET_KEY"].startswith("${KENNISBRUG_SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["KENNISBRUG_DB_URL"]
    postgres = load_compose()["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_the_app_environment_uses_known_settings_and_sets_the_sources_file() -> None:
    known = {name for name, _default, _help in Settings.describe()}
    env = compose_environment("web")
    assert {k for k in env if k.startswith(ENV_PREFIX)} <= known
    assert set(env) == {k for k in env if k.startswith(ENV_PREFIX)}
    # The installed wheel has no config/ beside it: compose names the mounted file.
    assert env["KENNISBRUG_SOURCES_FILE"] == "/app/config/sources.toml"
    volumes = load_compose()["services"]["web"]["volumes"]
    assert "./config:/app/config:ro" in volumes
    assert env["KENNISBRUG_SECURE_COOKIES"].endswith(":-true}")  # behind TLS by default


def test_every_long_running_service_has_a_health_check() -> None:
    services = load_compose()["services"]
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and check["test"], f"{name} has no health check"
        assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_state_lives_in_named_volumes() -> None:
    compose = load_compose()
    declared = set(compose["volumes"])
    mounts = {
        name: [v.split(":")[0] for v in service.get("volumes", [])]
        for name, service in compose["services"].items()
    }
    assert "pg-data" in mounts["postgres"]
    data_volumes = [mounts[n][0] for n in ("elasticsearch", *CLUSTER)]
    assert len(set(data_volumes)) == 4  # no two nodes share a data folder
    assert set(data_volumes) | {"pg-data", "es-snapshots"} <= declared
    services = compose["services"]
    for node in ("elasticsearch", *CLUSTER):
        # Every node sees the one snapshot repository (an fs repository must be shared).
        assert "es-snapshots" in mounts[node]
        assert services[node]["environment"]["path.repo"] == "/usr/share/elasticsearch/snapshots"


def test_the_cluster_profile_is_three_master_eligible_nodes_that_find_each_other() -> None:
    services = load_compose()["services"]
    names = set()
    for node in CLUSTER:
        env = services[node]["environment"]
        names.add(env["node.name"])
        assert env["cluster.name"] == "kennisbrug"
        assert env["discovery.seed_hosts"].split(",") == list(CLUSTER)
        assert env["cluster.initial_master_nodes"].split(",") == list(CLUSTER)
        assert "discovery.type" not in env
    assert names == set(CLUSTER)
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    # Replicas and the node list are the app's settings; the runbook sets them for the
    # cluster (one replica: any one node may go).
    env = compose_environment("web")
    assert env["KENNISBRUG_INDEX_REPLICAS"].startswith("${KENNISBRUG_INDEX_REPLICAS:-")
    assert env["KENNISBRUG_ES_URL"].startswith("${KENNISBRUG_ES_URL:-")
    runbook = (COMPOSE_FILE.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "KENNISBRUG_ES_URL=http://es01:9200,http://es02:9200,http://es03:9200" in runbook
    assert "KENNISBRUG_INDEX_REPLICAS=1" in runbook
