"""`hook_calls.DirectCaller` answers a hook call exactly as pluggy would:
same results in the same order, plugins registered later included, and
pluggy's own loop wherever a hook needs it."""

import pluggy
import pytest

from datapackage.site.hook_calls import DirectCaller, call_directly

spec, impl = pluggy.HookspecMarker("t"), pluggy.HookimplMarker("t")


class Specs:
    @spec
    def render_cell(self, row, value, column):
        pass

    @spec(firstresult=True)
    def first(self, value):
        pass


class Upper:
    @impl
    def render_cell(self, value, column):
        return value.upper() if column == "name" else None


class Tagged:
    @impl(tryfirst=True)
    def render_cell(self, row, value, column):
        return f"<{row}:{value}>"


class Silent:
    @impl(trylast=True)
    def render_cell(self, value):
        return None


class Wrapping:
    @impl(wrapper=True)
    def render_cell(self, value):
        result = yield
        return [*result, "wrapped"]


def manager(*plugins):
    pm = pluggy.PluginManager("t")
    pm.add_hookspecs(Specs)
    for plugin in plugins:
        pm.register(plugin)
    return pm


CALLS = [dict(row=1, value="ada", column="name"), dict(row=2, value="x", column="rank")]


def test_results_and_their_order_are_pluggys():
    plain, direct = manager(Upper(), Tagged(), Silent()), manager(Upper(), Tagged(), Silent())
    call_directly(direct.hook, "render_cell")
    assert isinstance(direct.hook.render_cell, DirectCaller)
    for kwargs in CALLS:
        assert direct.hook.render_cell(**kwargs) == plain.hook.render_cell(**kwargs)
    assert direct.hook.render_cell(**CALLS[0]) == ["<1:ada>", "ADA"]


def test_plugins_registered_or_removed_afterwards_count_at_once():
    pm = manager(Upper())
    call_directly(pm.hook, "render_cell")
    call_directly(pm.hook, "render_cell")  # twice is once
    assert isinstance(pm.hook.render_cell.caller, pluggy.HookCaller)
    assert pm.hook.render_cell(**CALLS[0]) == ["ADA"]
    tagged = Tagged()
    pm.register(tagged)
    assert pm.hook.render_cell(**CALLS[0]) == ["<1:ada>", "ADA"]
    pm.unregister(tagged)
    assert pm.hook.render_cell(**CALLS[0]) == ["ADA"]


def test_a_wrapper_is_left_to_pluggy():
    plain, direct = manager(Upper(), Wrapping()), manager(Upper(), Wrapping())
    call_directly(direct.hook, "render_cell")
    assert direct.hook.render_cell(**CALLS[0]) == plain.hook.render_cell(**CALLS[0]) == ["ADA", "wrapped"]


def test_a_first_result_hook_and_a_missing_argument_behave_as_in_pluggy():
    class First:
        @impl
        def first(self, value):
            return value * 2

    pm = manager(First(), First())
    call_directly(pm.hook, "first")
    assert pm.hook.first(value=2) == 4  # one answer, not a list
    call_directly(pm.hook, "render_cell")
    pm.register(Tagged())
    with pytest.raises((TypeError, KeyError, pluggy.HookCallError)):
        pm.hook.render_cell(value="x", column="name")
