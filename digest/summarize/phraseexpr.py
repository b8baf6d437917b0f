"""Python source for one Jinja expression (see phrases.py), written as Jinja's own code generator evaluates it:
look-ups through `_ga`/`_gi` (Environment.getattr/getitem), or read directly in a statement's fast form;
the built-in filters the templates use most written out; anything else raises Unsupported."""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import nodes
from jinja2.filters import _prepare_attribute_parts, do_int

if TYPE_CHECKING:
    from digest.summarize.phrases import Known

COMPARE = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=", "in": "in", "notin": "not in"}
BINARY = {nodes.Add: "+", nodes.Sub: "-", nodes.Mul: "*", nodes.Div: "/", nodes.FloorDiv: "//", nodes.Mod: "%", nodes.Pow: "**",
          nodes.And: "and", nodes.Or: "or"}
UNARY = {nodes.Not: "not ", nodes.Neg: "-", nodes.Pos: "+"}
LOOP_FIELDS = {
    "first": "({i} == 0)",
    "last": "({i} == {n} - 1)",
    "index": "({i} + 1)",
    "index0": "{i}",
    "length": "{n}",
    "revindex": "({n} - {i})",
    "revindex0": "({n} - {i} - 1)",
}
PLAIN_CONSTANTS = (str, int, float, bool, type(None))
class Unsupported(Exception):
    """A construct the translator does not know: the macro is left to Jinja."""


@dataclass
class Scope:
    """Names a macro body or a loop body binds, each to its Python name; a loop's counters when it reads `loop`."""

    names: dict[str, str] = field(default_factory=dict)
    parent: Scope | None = None
    loop: tuple[str, str] | None = None

    def find(self, name: str) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None

    def loop_counters(self) -> tuple[str, str]:
        scope: Scope | None = self
        while scope is not None and scope.loop is None and "loop" not in scope.names:
            scope = scope.parent
        if scope is None or scope.loop is None:
            raise Unsupported("loop outside a loop that counts")
        return scope.loop


class ExpressionWriter:
    """The expressions of a macro; `fast` is set while a statement's fast form is written."""

    known: Known
    fast: bool

    def expr(self, node: nodes.Node, scope: Scope) -> str:
        handler = getattr(self, "e_" + type(node).__name__, None)
        if handler is None:
            if type(node) in BINARY:
                return f"({self.expr(node.left, scope)} {BINARY[type(node)]} {self.expr(node.right, scope)})"
            if type(node) in UNARY:
                return f"({UNARY[type(node)]}{self.expr(node.node, scope)})"
            raise Unsupported(type(node).__name__)
        return str(handler(node, scope))

    def e_Const(self, node: nodes.Const, scope: Scope) -> str:
        if not isinstance(node.value, PLAIN_CONSTANTS):
            raise Unsupported("constant")
        return repr(node.value)

    def e_Name(self, node: nodes.Name, scope: Scope) -> str:
        return scope.find(node.name) or self.known.global_name(node.name)

    def e_Getattr(self, node: nodes.Getattr, scope: Scope) -> str:
        if isinstance(node.node, nodes.Name) and node.node.name == "loop" and scope.find("loop") is None:
            if node.attr not in LOOP_FIELDS:
                raise Unsupported("loop." + node.attr)
            index, count = scope.loop_counters()
            return LOOP_FIELDS[node.attr].format(i=index, n=count)
        if self.fast:
            if keyword.iskeyword(node.attr) or not node.attr.isidentifier():
                return f"getattr({self.expr(node.node, scope)}, {node.attr!r})"
            return f"{self.expr(node.node, scope)}.{node.attr}"
        return f"_ga({self.expr(node.node, scope)}, {node.attr!r})"

    def e_Getitem(self, node: nodes.Getitem, scope: Scope) -> str:
        if isinstance(node.arg, nodes.Slice):
            return f"{self.expr(node.node, scope)}[{self.e_Slice(node.arg, scope)}]"
        if self.fast:
            return f"{self.expr(node.node, scope)}[{self.expr(node.arg, scope)}]"
        return f"_gi({self.expr(node.node, scope)}, {self.expr(node.arg, scope)})"

    def e_Slice(self, node: nodes.Slice, scope: Scope) -> str:
        parts = [self.expr(part, scope) if part is not None else "" for part in (node.start, node.stop, node.step)]
        return ":".join(parts) if node.step is not None else ":".join(parts[:2])

    def e_CondExpr(self, node: nodes.CondExpr, scope: Scope) -> str:
        otherwise = self.expr(node.expr2, scope) if node.expr2 is not None else "_cu"
        return f"({self.expr(node.expr1, scope)} if {self.expr(node.test, scope)} else {otherwise})"

    def e_Compare(self, node: nodes.Compare, scope: Scope) -> str:
        text = self.expr(node.expr, scope)
        for operand in node.ops:
            if operand.op not in COMPARE:
                raise Unsupported("compare " + operand.op)
            text += f" {COMPARE[operand.op]} {self.expr(operand.expr, scope)}"
        return f"({text})"

    def e_Concat(self, node: nodes.Concat, scope: Scope) -> str:
        return "(" + " + ".join(f"str({self.expr(part, scope)})" for part in node.nodes) + ")"

    def e_Tuple(self, node: nodes.Tuple, scope: Scope) -> str:
        return "(" + "".join(self.expr(item, scope) + ", " for item in node.items) + ")"

    def e_List(self, node: nodes.List, scope: Scope) -> str:
        return "[" + ", ".join(self.expr(item, scope) for item in node.items) + "]"

    def e_Dict(self, node: nodes.Dict, scope: Scope) -> str:
        return "{" + ", ".join(f"{self.expr(pair.key, scope)}: {self.expr(pair.value, scope)}" for pair in node.items) + "}"

    def arguments(self, node: nodes.Call | nodes.Filter | nodes.Test, scope: Scope) -> list[str]:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            raise Unsupported("*args")
        return [self.expr(arg, scope) for arg in node.args] + [f"{kw.key}={self.expr(kw.value, scope)}" for kw in node.kwargs]

    def e_Call(self, node: nodes.Call, scope: Scope) -> str:
        return f"{self.expr(node.node, scope)}({', '.join(self.arguments(node, scope))})"

    def e_Test(self, node: nodes.Test, scope: Scope) -> str:
        function, lead = self.known.callable_of("test", node.name)
        return f"{function}({lead}{', '.join([self.expr(node.node, scope)] + self.arguments(node, scope))})"

    def e_Filter(self, node: nodes.Filter, scope: Scope) -> str:
        if node.node is None:
            raise Unsupported("filter block")
        value = self.expr(node.node, scope)
        args = self.arguments(node, scope)
        quick = self.quick_filter(node, value, args, scope)
        if quick is not None:
            return quick
        function, lead = self.known.callable_of("filter", node.name)
        return f"{function}({lead}{', '.join([value] + args)})"

    def quick_filter(self, node: nodes.Filter, value: str, args: list[str], scope: Scope) -> str | None:
        """The built-in filters the templates use most, written out (same results as jinja2.filters')."""
        name, plain = node.name, not node.kwargs
        if self.known.env.filters.get(name) is not self.known.builtin_filters.get(name):
            return None  # replaced by the environment: call what it holds
        if name in ("length", "count") and not args:
            return f"len({value})"
        if name == "int" and not args:
            return f"_int({value})"
        if name == "list" and not args:
            return f"list({value})"
        if name in ("upper", "lower", "capitalize") and not args:
            return f"_str({value}).{name}()"
        if name == "join" and plain and len(args) <= 1:
            return f"str({args[0] if args else repr('')}).join(map(str, {value}))"
        if name == "sum" and not node.args and [kw.key for kw in node.kwargs] in ([], ["start"]):
            return f"sum({value}, {self.expr(node.kwargs[0].value, scope) if node.kwargs else '0'})"
        if name == "map" and not node.args and [kw.key for kw in node.kwargs] == ["attribute"]:
            return f"_map_attr({value}, {self.attribute_parts(node.kwargs[0].value)})"
        if name in ("selectattr", "rejectattr") and plain and len(node.args) >= 2 and isinstance(node.args[1], nodes.Const):
            function, lead = self.known.callable_of("test", node.args[1].value)
            if lead:
                return None
            rest = "".join(arg + ", " for arg in args[2:])
            keep = name == "selectattr"
            return f"_select_attr({value}, {self.attribute_parts(node.args[0])}, {function}, ({rest}), {keep})"
        return None

    def attribute_parts(self, node: nodes.Node) -> str:
        if not isinstance(node, nodes.Const) or not isinstance(node.value, (str, int)):
            raise Unsupported("attribute")
        return repr(tuple(_prepare_attribute_parts(node.value)))


def runtime_helpers(getitem: Any) -> dict[str, Any]:
    """The generator filters the quick forms call: `map(attribute=...)`, `selectattr` and `rejectattr`."""

    def lookup(item: Any, parts: tuple[Any, ...]) -> Any:
        for part in parts:
            item = getitem(item, part)
        return item

    def _map_attr(value: Any, parts: tuple[Any, ...]) -> Any:
        if value:
            for item in value:
                yield lookup(item, parts)

    def _select_attr(value: Any, parts: tuple[Any, ...], test: Any, args: tuple[Any, ...], keep: bool) -> Any:
        if value:
            for item in value:
                if bool(test(lookup(item, parts), *args)) is keep:
                    yield item

    return {"_map_attr": _map_attr, "_select_attr": _select_attr, "_int": _int_of()}


def _int_of() -> Any:
    """The `int` filter with its defaults, remembered per string (a fact's subject is read as a count on every
    phrase, and most subjects are words, which `do_int` turns down through two exceptions)."""
    known: dict[str, int] = {}

    def _int(value: Any) -> int:
        if type(value) is not str:
            return do_int(value)  # type: ignore[no-any-return]
        if value not in known:
            if len(known) >= 50_000:
                known.clear()
            known[value] = do_int(value)
        return known[value]

    return _int

