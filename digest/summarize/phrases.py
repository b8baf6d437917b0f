"""The offline wording compiled once: each Jinja macro of templates/offline/<lang>.j2 translated to a Python
function when the summarizer loads, so a phrase costs a function call and not a Jinja macro call (argument
binding, a context, a loop object and every look-up through the environment, per call).

The wording stays in the .j2 files. Only the part of Jinja those macros use is translated (output, if, for
with `loop.first`/`last`/`index`, set, macro calls, look-ups, operators, filters and tests); the translation
keeps Jinja's semantics for it (look-ups try the attribute, then the item, as `Environment.getattr`/`getitem`
do; undefined names are the environment's `undefined`). A macro that uses anything else (a node, a filter
that needs the template's context, `caller`, a name the translator cannot place) is left to Jinja itself:
`CompiledMacros.fallbacks` names those, and the output is the same either way.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.filters import FILTERS
from jinja2.runtime import Undefined
from jinja2.utils import _PassArg

from markupsafe import soft_str

from digest.summarize.phrasecode import MacroTranslator, target_names
from digest.summarize.phraseexpr import Unsupported, runtime_helpers


class CompiledMacros:
    """The macros of one template as attributes: a Python function where it could be translated, else
    Jinja's own macro (named in `fallbacks`)."""

    def __init__(self, env: jinja2.Environment, name: str) -> None:
        template = env.get_template(name)
        self.module = template.module
        self.fallbacks: set[str] = set()
        source, _, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
        tree = env.parse(source)
        macros = {node.name: node for node in tree.find_all(nodes.Macro)}
        self.namespace: dict[str, Any] = {}
        if not _translatable(env, tree):
            self.fallbacks = set(macros)
        for macro in macros:
            self.namespace["M_" + macro] = getattr(self.module, macro)
        for macro, node in macros.items():
            if macro not in self.fallbacks:
                self._translate(env, node, macros)

    def _translate(self, env: jinja2.Environment, node: nodes.Macro, macros: dict[str, nodes.Macro]) -> None:
        exported = {key: value for key, value in vars(self.module).items() if key not in macros and not key.startswith("_")}
        known = Known(env, exported, set(macros), self.namespace)
        try:
            source = MacroTranslator(node, known).source()
            code = compile(source, f"<offline macro {node.name}>", "exec")
            exec(code, self.namespace)  # noqa: S102 - code generated from the project's own template
        except Unsupported:
            self.fallbacks.add(node.name)
            return
        self.namespace["M_" + node.name] = self.namespace["m_" + node.name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["namespace"]["M_" + name]
        except KeyError:
            raise AttributeError(name) from None


def _translatable(env: jinja2.Environment, tree: nodes.Template) -> bool:
    """Macros read the template's top-level names at call time, so those must be plain: set once, at the top
    level, of macros and sets only; and output must be `str()` of each value (no autoescape, no finalize)."""
    if env.autoescape is not False or env.finalize is not None:
        return False
    if type(env).getattr is not jinja2.Environment.getattr or type(env).getitem is not jinja2.Environment.getitem:
        return False
    kinds = (nodes.Macro, nodes.Assign, nodes.Output)
    if not all(isinstance(node, kinds) for node in tree.body):
        return False
    names = [name for node in tree.body if isinstance(node, nodes.Assign) for name in target_names(node.target)]
    names += [node.name for node in tree.body if isinstance(node, nodes.Macro)]
    return len(names) == len(set(names)) and len(list(tree.find_all(nodes.Macro))) == sum(isinstance(n, nodes.Macro) for n in tree.body)


class Known:
    """What a translated macro may refer to, and the objects its code reads as globals of `namespace`."""

    def __init__(self, env: jinja2.Environment, exported: dict[str, Any], macros: set[str], namespace: dict[str, Any]) -> None:
        self.env, self.exported, self.macros, self.namespace = env, exported, macros, namespace
        self.eval_ctx = nodes.EvalContext(env)
        self.builtin_filters = FILTERS
        if "_ga" not in namespace:
            namespace.update(_ga=_getattr_of(env), _gi=_getitem_of(env), _str=soft_str, _constants={})
            namespace["_cu"] = Undefined()  # an inline if without else, as Jinja writes it
            namespace.update(runtime_helpers(namespace["_gi"]))

    def constant(self, key: str, value: Any) -> str:
        """The name under which the generated code reads `value` (one name per key)."""
        names = self.namespace["_constants"]
        if key not in names:
            names[key] = f"K{len(names)}_" + "".join(char for char in key if char.isalnum() or char == "_")[:30]
            self.namespace[names[key]] = value
        return str(names[key])

    def undefined(self, name: str, hint: str | None = None) -> str:
        return self.constant(f"U_{name}_{hint is not None}", self.env.undefined(hint, name=name))

    def global_name(self, name: str) -> str:
        """A name no scope of the macro binds: another macro, a top-level set, or an environment global."""
        if name in ("caller", "varargs", "kwargs", "loop"):
            raise Unsupported(name)
        if name in self.macros:
            return "M_" + name
        if name in self.exported:
            return self.constant("G_" + name, self.exported[name])
        if name in self.env.globals and _PassArg.from_obj(self.env.globals[name]) is None:
            return self.constant("E_" + name, self.env.globals[name])
        raise Unsupported(name)

    def callable_of(self, kind: str, name: str) -> tuple[str, str]:
        """A filter or test as (the name of its function, the first arguments it takes before the value)."""
        table = self.env.filters if kind == "filter" else self.env.tests
        if name not in table:
            raise Unsupported(f"{kind} {name}")
        function = table[name]
        passed = _PassArg.from_obj(function)
        lead = ""
        if passed is _PassArg.environment:
            lead = self.constant("ENV", self.env) + ", "
        elif passed is _PassArg.eval_context:
            lead = self.constant("EVAL_CTX", self.eval_ctx) + ", "
        elif passed is not None:
            raise Unsupported(f"{kind} {name} takes the context")
        return self.constant(f"{kind[0].upper()}_{name}", function), lead


def _getattr_of(env: jinja2.Environment) -> Any:
    undefined = env.undefined

    def _ga(obj: Any, attribute: str) -> Any:  # Environment.getattr
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return undefined(obj=obj, name=attribute)

    return _ga


def _getitem_of(env: jinja2.Environment) -> Any:
    undefined = env.undefined

    def _gi(obj: Any, argument: Any) -> Any:  # Environment.getitem
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return undefined(obj=obj, name=argument)

    return _gi
