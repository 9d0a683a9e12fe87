"""Every exception the project defines sits in the ``KennisbrugError`` tree (core/errors.py).

So the CLI, the worker and the web app can turn any of our failures into a clear
message by catching one base class (docs/architecture.md, "Errors").
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from core.errors import KennisbrugError

PRODUCTION = ("core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode")


def project_exceptions(packages: tuple[str, ...] = PRODUCTION) -> list[type[BaseException]]:
    """Exception classes defined (not imported) in the modules of ``packages``."""
    found: list[type[BaseException]] = []
    for name in packages:
        package = importlib.import_module(name)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            # __main__ runs a program; Alembic loads the migration scripts itself.
            if info.name.endswith("__main__") or ".migrations" in info.name:
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            found += [
                cls
                for _, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, BaseException) and cls.__module__ == module.__name__
            ]
    return found


def test_the_walk_finds_the_exceptions() -> None:
    names = {cls.__name__ for cls in project_exceptions()}
    assert {"ConfigError", "ForbiddenError", "SignInRequiredError", "QueryRejectedError"} <= names


@pytest.mark.parametrize("cls", project_exceptions(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_project_exception_is_a_kennisbrug_error(cls: type[BaseException]) -> None:
    assert issubclass(cls, KennisbrugError)
