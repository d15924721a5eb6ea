"""The registry: every installed app's module.py, collected in INSTALLED_APPS order, nothing named in core."""

from __future__ import annotations

import pathlib
import re
import types

import pytest

from vhttdl.core.accounts.roles import Role, actions_of
from vhttdl.core.modules import HomeCard, Module, NavEntry, SearchKind, registry

pytestmark = pytest.mark.django_db

CORE = pathlib.Path(__file__).resolve().parents[3] / "src" / "vhttdl" / "core"


@pytest.fixture
def extra_module(monkeypatch):
    """A module that is not part of the platform, plugged in the way an installed app's module.py is."""

    def cards(*, actor):
        return [HomeCard("Hồ sơ mới", 3, "hôm nay", "/")]

    def documents():
        yield {"kind": "newsroom.article", "object_id": 1, "title": "Tin mới"}

    module = Module(
        label="newsroom",
        actions={"newsroom.publish": "Đăng tin"},
        role_actions={Role.DEPARTMENT_OFFICER: frozenset({"newsroom.publish"})},
        navigation=(NavEntry("Tin tức", "ui:home", "newsroom.publish", "newsroom", order=35),),
        home_cards=(cards,),
        search_kinds=(SearchKind("newsroom.article", "Tin tức", "newsroom.publish"),),
        search_providers=(documents,),
    )
    installed = registry.modules()
    registry.reset()
    monkeypatch.setattr(registry, "modules", lambda: (*installed, module))
    yield module
    monkeypatch.undo()
    registry.reset()


def test_installed_apps_contribute_in_order():
    labels = [module.label for module in registry.modules()]
    assert labels.index("units") < labels.index("reporting") < labels.index("heritage")
    assert [entry.url_name for entry in registry.navigation()][:3] == ["ui:home", "units:tree", "accounts:people"]
    assert {"heritage.site", "heritage.intangible", "heritage.festival"} <= set(registry.search_kinds())
    prefixes = dict(registry.api_routers())
    assert prefixes["/heritage"] == "vhttdl.heritage.api.router"


def test_a_new_module_adds_its_actions_navigation_cards_and_search(extra_module, tree):
    from tests.core.factories import person
    from vhttdl.core.search.selectors import kind_label
    from vhttdl.core.ui.selectors import home_summary

    assert "newsroom.publish" in actions_of(Role.DEPARTMENT_OFFICER)
    assert "newsroom.publish" in actions_of(Role.SYSTEM_ADMIN)  # the administrator holds every module's actions
    assert "newsroom.publish" not in actions_of(Role.UNIT_STAFF)
    # By order: after reporting (30), before heritage (40).
    assert [e.label for e in registry.navigation()].index("Tin tức") == 4
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert "Hồ sơ mới" in [card.title for card in home_summary(actor=officer).cards]
    assert kind_label("newsroom.article") == "Tin tức"
    assert [name for name, _ in registry.search_providers()][-1] == "newsroom"


def test_a_module_py_without_a_module_is_refused(monkeypatch):
    fake = types.ModuleType("fake.module")
    fake.MODULE = {"label": "not a Module"}
    monkeypatch.setattr(registry.importlib, "import_module", lambda name: fake)
    monkeypatch.setattr(registry.importlib.util, "find_spec", lambda name: object())
    registry.reset()
    try:
        with pytest.raises(TypeError, match=r"must be a vhttdl\.core\.modules\.Module"):
            registry.modules()
    finally:
        monkeypatch.undo()
        registry.reset()


def test_core_names_no_app():
    """Core reaches apps only through the registry (import-linter holds imports; this holds strings too)."""
    named = []
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"vhttdl\.(reporting|heritage)\b", line):
                named.append(f"{path.relative_to(CORE)}:{number}: {line.strip()}")
    assert named == []
