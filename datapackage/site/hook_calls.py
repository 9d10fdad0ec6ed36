"""A plugin hook that Datasette calls once per cell, called without pluggy's
per-call bookkeeping.

Datasette asks `render_cell` of its plugins for every cell of a page, a
thousand times per table page. pluggy checks the arguments, copies the list
of implementations and runs a loop built for wrappers on each call: about
2.3 microseconds, eight times what our own cell costs when it has nothing to
add. `DirectCaller` returns what pluggy would (each implementation's answer
that is not None, last registered first) by calling the implementations
itself. pluggy stays the authority: the caller re-reads the implementations
on every call, so plugins registered or removed later count at once, and it
hands the call back to pluggy whenever an implementation is a wrapper.
"""

from __future__ import annotations


class DirectCaller:
    """Stands in for one of pluggy's `HookCaller`s; anything but a call is
    the HookCaller's own (pluggy registers new implementations through it)."""

    def __init__(self, caller):
        self.caller = caller
        self._impls: list = []
        self._calls: list | None = []

    def __getattr__(self, name):
        return getattr(self.caller, name)

    def __call__(self, **kwargs):
        impls = self.caller.get_hookimpls()
        if impls != self._impls:
            self._impls, self._calls = impls, _calls(self.caller, impls)
        if self._calls is None:
            return self.caller(**kwargs)
        results = []
        for function, names in self._calls:
            if len(names) == len(kwargs):  # every argument: passed on as given
                result = function(**kwargs)
            else:
                result = function(**{name: kwargs[name] for name in names})
            if result is not None:
                results.append(result)
        return results


def _calls(caller, impls: list) -> list | None:
    """(function, argument names) in pluggy's calling order; None when an
    implementation wraps the others or the hook has arguments with defaults,
    which only pluggy's own loop handles."""
    spec = caller.spec
    if (spec and spec.kwargdefaults) or (spec and spec.opts.get("firstresult")) \
            or any(impl.hookwrapper or impl.wrapper for impl in impls):
        return None
    return [(impl.function, impl.argnames) for impl in reversed(impls)]


def call_directly(relay, name: str) -> None:
    """Makes `relay.<name>` (a plugin manager's `hook.<name>`) a DirectCaller;
    once is enough, however many sites are built."""
    caller = getattr(relay, name)
    if not isinstance(caller, DirectCaller):
        setattr(relay, name, DirectCaller(caller))
