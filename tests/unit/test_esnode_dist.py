"""Where the distribution comes from and how plugins are named (pure functions)."""

from __future__ import annotations

from pathlib import Path

from localnode.dist import artifact_coordinates, repository_path
from localnode.plugins import parse_descriptor_name


def test_maven_coordinates_of_the_integ_test_zip() -> None:
    assert artifact_coordinates("9.5.3") == (
        "org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.5.3:zip"
    )
    assert artifact_coordinates("9.5.3", "zip.sha512").endswith(":9.5.3:zip.sha512")


def test_zip_location_in_the_local_repository() -> None:
    assert repository_path(Path("/m2"), "9.5.3") == Path(
        "/m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/9.5.3/"
        "elasticsearch-9.5.3.zip"
    )


def test_plugin_name_from_descriptor() -> None:
    descriptor = "# comment\ndescription=Dutch analysis\nname = kennisbrug-analysis-nl\n"
    assert parse_descriptor_name(descriptor) == "kennisbrug-analysis-nl"


def test_descriptor_without_name() -> None:
    assert parse_descriptor_name("description=x\n!name=hidden\n") is None
