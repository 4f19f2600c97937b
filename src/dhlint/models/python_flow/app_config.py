"""A Flask (Quart) app's config.

``app.config[...] = ``, ``update``, ``from_mapping``, ``from_object``.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from dhlint.models.python_flow.common import ALL_APPS, Env, _app_key
from dhlint.models.python_values import UNKNOWN, Frame, Obj, Str, Unknown, Val, join


class AppConfig:
    """A Flask (Quart) app's config."""

    def flask_config(self, app: Any) -> Frame:
        """A Flask app's config (``app.config``; ``current_app.config``, ``ALL_APPS``: any of
        the module's apps): a dict of what the module sets in it, wherever (an app factory,
        the module's top level)."""
        self.read_state("flask-config", app)
        held = self.app_config.get(app)
        return held if isinstance(held, Frame) else Frame("dict", {}, entries={})

    def _set_flask_config(self, app: Any, new: Val, replaces: bool = False) -> None:
        """``new`` is the app's config: joined with what it held, or (``replaces``) in its
        place. ``current_app`` is one of the apps: what it is given, each may hold."""
        if replaces and app != ALL_APPS:
            self.write_state("flask-config", self.app_config, app, new, merge=False)
            anyone: Val = UNKNOWN  # current_app's: any app's, as each now is
            for key, held in self.app_config.items():
                if key != ALL_APPS:
                    anyone = join(anyone, held)
            self.write_state("flask-config", self.app_config, ALL_APPS, anyone, merge=False)
            return
        apps = [k for k in self.app_config if k != ALL_APPS] if app == ALL_APPS else [app]
        for key in dict.fromkeys([*apps, ALL_APPS]):
            self.write_state("flask-config", self.app_config, key, new)

    def _app_of_config(self, node: ast.expr, env: Env) -> Any:
        """The app whose ``config`` ``node`` is (``ALL_APPS`` for ``current_app.config``), or
        None when it is not a Flask (Quart) app's config."""
        if type(node) is not ast.Attribute or node.attr != "config":
            return None
        return _app_key(self.eval(node.value, env))

    def _config_update(self, expr: ast.Call, env: Env) -> bool:
        """``app.config.update(CRM_URL=...)``, ``.from_mapping({...}, KEY=...)``,
        ``.setdefault(KEY, v)``, ``.from_object(Config)``: the config holds those settings (True
        when ``expr`` is one)."""
        func = expr.func
        if type(func) is not ast.Attribute or func.attr not in (
            "update",
            "from_mapping",
            "setdefault",
            "from_object",
        ):
            return False
        app = self._app_of_config(func.value, env)
        if app is None:
            return False
        args, kwargs = self._args(expr, env)
        if func.attr == "from_object":
            # A class of the module (or an instance of one): its upper-case attributes, its
            # bases' too, as Flask reads them. An import path ("pkg.settings") is another file's.
            settings = self._object_settings(args[0]) if len(args) == 1 and not kwargs else None
            if not settings:
                return True
            args, kwargs = [], settings
        if func.attr == "setdefault":
            key = args[0] if args else None
            if not isinstance(key, Str) or not key.known or len(args) != 2:
                return True
            args, kwargs = [], {key.text: args[1]}
        new: Val = self._keywords(kwargs, expr) if kwargs else UNKNOWN
        for arg in args:
            if isinstance(arg, Frame):
                new = join(new, arg) if isinstance(new, Frame) else arg
        if isinstance(new, Frame):
            config = self.flask_config(app)
            if self._config_top_level(env) and new.entries is not None:
                # update(K=v) at the top level replaces K, as an item assignment there does
                merged: Val = config
                for name, col in new.cols.items():
                    merged = merged.with_col(name, col)
                entries = {**(config.entries or {}), **new.entries}
                self._set_flask_config(app, replace(merged, entries=entries), replaces=True)
                return True
            merged = join(config, new)
            if isinstance(merged, Frame) and merged.entries is None:  # a mapping built elsewhere
                merged = replace(merged, entries=dict(config.entries or {}))
            self._set_flask_config(app, merged)
        return True

    def _config_top_level(self, env: Env) -> bool:
        """Whether a Flask config setting here replaces what it held: at the module's top
        level, outside any branch, as Flask's dict does. Elsewhere the order functions run in is
        not known, and every value written may be read."""
        return env is self.module_env and not self.branching and not self.running

    def _object_settings(self, value: Val) -> dict[str, Val] | None:
        """What ``app.config.from_object(value)`` sets, ``value`` a class of the module or an
        instance of one: the upper-case names its class body or a base's sets (Flask reads
        ``dir(obj)``), with their values; None for anything else."""
        if isinstance(value, Obj) and value.kind == "instance":
            cls = value.data["cls"]
        elif isinstance(value, Unknown) and value.name in self.class_names:
            cls = value.name
        else:
            return None
        settings: dict[str, Val] = {}
        for owner in self._mro(cls):
            for name in self.class_names.get(owner, ()):
                if name.isupper() and name not in settings:
                    settings[name] = self._attribute_set(cls, name)[0] or UNKNOWN
        return settings
