"""docker-compose.yml, parsed: services, required secrets, health checks, volumes, the
cluster profile, and the web/worker commands the installed-wheel smoke test runs."""

from __future__ import annotations

import re

from core.settings import ENV_PREFIX, Settings
from tests.deployment import (
    CLUSTER_FILE,
    COMPOSE_FILE,
    SMOKE_COMMANDS,
    compose_environment,
    load_cluster_compose,
    load_compose,
)

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
    env = compose_environment("web")
    assert env["KENNISBRUG_INDEX_REPLICAS"].startswith("${KENNISBRUG_INDEX_REPLICAS:-")
    assert env["KENNISBRUG_ES_URL"].startswith("${KENNISBRUG_ES_URL:-")


def test_the_cluster_override_points_web_and_worker_at_all_three_nodes() -> None:
    merged = load_cluster_compose()
    services = merged["services"]
    for app in ("web", "worker"):
        env = services[app]["environment"]
        urls = env["KENNISBRUG_ES_URL"].split(",")
        # Exactly the profile's node services, each on the HTTP port its health check asks.
        assert urls == [f"http://{node}:9200" for node in CLUSTER]
        assert "localhost:9200" in " ".join(services[CLUSTER[0]]["healthcheck"]["test"])
        # One replica: any one node may stop (the fault tests' layout, 3 shards).
        assert env["KENNISBRUG_INDEX_REPLICAS"] == "${KENNISBRUG_INDEX_REPLICAS:-1}"
        assert env["KENNISBRUG_INDEX_SHARDS"] == "${KENNISBRUG_INDEX_SHARDS:-3}"
        # Everything else the smoke test runs stays as in the base file.
        base = compose_environment(app)
        assert set(env) == set(base)
        changed = {k for k in base if env[k] != base[k]}
        assert changed == {
            "KENNISBRUG_ES_URL",
            "KENNISBRUG_INDEX_SHARDS",
            "KENNISBRUG_INDEX_REPLICAS",
        }
        assert services[app]["command"] == SMOKE_COMMANDS[app]
        for node in CLUSTER:
            assert services[app]["depends_on"][node]["condition"] == "service_healthy"
            assert node in services and services[node]["profiles"] == ["cluster"]
        assert services[app]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # The single node is not started beside the cluster.
    assert services["elasticsearch"]["deploy"]["replicas"] == 0
    # The runbook and the file's own header name the way to start it.
    usage = "docker compose -f docker-compose.yml -f docker-compose.cluster.yml --profile cluster"
    runbook = (COMPOSE_FILE.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert usage in runbook and usage in CLUSTER_FILE.read_text(encoding="utf-8")
    assert "COMPOSE_FILE=docker-compose.yml:docker-compose.cluster.yml" in runbook
