"""Python source for one Jinja macro (see phrases.py): statements and expressions of the subset the offline
templates use, each written as Jinja's own code generator would evaluate it; anything else raises Unsupported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import nodes
from jinja2.filters import _prepare_attribute_parts

if TYPE_CHECKING:
    from digest.summarize.phrases import Known

COMPARE = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=", "in": "in", "notin": "not in"}
BINARY = {nodes.Add: "+", nodes.Sub: "-", nodes.Mul: "*", nodes.Div: "/", nodes.FloorDiv: "//", nodes.Mod: "%", nodes.Pow: "**"}
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


def target_names(target: nodes.Node) -> list[str]:
    """The names a `set` or `for` target binds (`find_all` does not yield the node itself)."""
    return [target.name] if isinstance(target, nodes.Name) else [name.name for name in target.find_all(nodes.Name)]


def stored_names(body: list[nodes.Node]) -> list[str]:
    """The names `set` in a body, not counting those of the loops inside it (each loop is a scope)."""
    found: list[str] = []
    for node in body:
        if isinstance(node, nodes.Assign):
            found += target_names(node.target)
        elif isinstance(node, nodes.If):
            found += stored_names(node.body) + stored_names(node.elif_) + stored_names(node.else_)
        elif isinstance(node, nodes.For):
            found += stored_names(node.else_)
    return list(dict.fromkeys(found))


def reads_loop(body: list[nodes.Node]) -> bool:
    """Whether a loop body reads its own `loop` (not a nested loop's)."""
    for node in body:
        if isinstance(node, nodes.For):
            if any(name.name == "loop" for name in node.iter.find_all(nodes.Name)) or reads_loop(node.else_):
                return True
        elif any(name.name == "loop" for name in node.find_all(nodes.Name) if not _inside_loop(node, name)):
            return True
    return False


def _inside_loop(top: nodes.Node, target: nodes.Node) -> bool:
    return any(target is name for loop in top.find_all(nodes.For) for child in loop.body for name in child.find_all(nodes.Name))


class MacroTranslator:
    """Writes `def m_<name>(...)` for one macro."""

    def __init__(self, macro: nodes.Macro, known: Known) -> None:
        self.macro, self.known = macro, known
        self.lines: list[str] = []
        self.counter = 0

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"{base}_{self.counter}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def source(self) -> str:
        macro = self.macro
        if any(not isinstance(arg, nodes.Name) for arg in macro.args):
            raise Unsupported("argument")
        scope = Scope()
        params = []
        first_default = len(macro.args) - len(macro.defaults)
        for index, arg in enumerate(macro.args):
            scope.names[arg.name] = python = self.fresh("a")
            if index >= first_default:
                default = macro.defaults[index - first_default]
                if not isinstance(default, nodes.Const) or not isinstance(default.value, PLAIN_CONSTANTS):
                    raise Unsupported("default")
                params.append(f"{python}={default.value!r}")
            else:
                params.append(f"{python}={self.known.undefined(arg.name, f'parameter {arg.name!r} was not provided')}")
        self.emit(0, f"def m_{macro.name}({', '.join(params)}):")
        self.emit(1, "_o = []")
        self.bind_stored(scope, macro.body, 1)
        self.block(macro.body, scope, 1)
        self.emit(1, "return ''.join(_o)")
        return "\n".join(self.lines) + "\n"

    def bind_stored(self, scope: Scope, body: list[nodes.Node], depth: int) -> None:
        """Each name a body sets starts undefined (as Jinja's `missing`); one that could mean an outer name
        too is left to Jinja, whose rule for it (read the outer value first) is not copied here."""
        for name in stored_names(body):
            if name in scope.names:
                continue
            if scope.find(name) is not None or name in self.known.macros or name in self.known.exported or name in self.known.env.globals:
                raise Unsupported(f"set {name} shadows a name")
            scope.names[name] = python = self.fresh("v")
            self.emit(depth, f"{python} = {self.known.undefined(name)}")

    def block(self, body: list[nodes.Node], scope: Scope, depth: int) -> None:
        start = len(self.lines)
        for node in body:
            handler = getattr(self, "s_" + type(node).__name__, None)
            if handler is None:
                raise Unsupported(type(node).__name__)
            handler(node, scope, depth)
        if len(self.lines) == start:
            self.emit(depth, "pass")

    def s_Output(self, node: nodes.Output, scope: Scope, depth: int) -> None:
        written: list[str] = []
        text = ""  # template text is joined to the text next to it
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                text += child.data
                continue
            if text:
                written.append(repr(text))
                text = ""
            written.append(f"str({self.expr(child, scope)})")
        if text:
            written.append(repr(text))
        if len(written) == 1:
            self.emit(depth, f"_o.append({written[0]})")
        elif written:
            self.emit(depth, f"_o.extend(({', '.join(written)},))")

    def s_If(self, node: nodes.If, scope: Scope, depth: int) -> None:
        self.emit(depth, f"if {self.expr(node.test, scope)}:")
        self.block(node.body, scope, depth + 1)
        for branch in node.elif_:
            self.emit(depth, f"elif {self.expr(branch.test, scope)}:")
            self.block(branch.body, scope, depth + 1)
        if node.else_:
            self.emit(depth, "else:")
            self.block(node.else_, scope, depth + 1)

    def s_Assign(self, node: nodes.Assign, scope: Scope, depth: int) -> None:
        self.emit(depth, f"{self.target(node.target, scope)} = {self.expr(node.node, scope)}")

    def s_For(self, node: nodes.For, scope: Scope, depth: int) -> None:
        if node.recursive or node.else_:
            raise Unsupported("recursive loop or loop else")
        values = self.expr(node.iter, scope)
        inner = Scope(parent=scope)
        for name in target_names(node.target):
            inner.names[name] = self.fresh("t")
        target = self.target(node.target, inner)
        counted = reads_loop(node.body)
        if node.test is not None:
            if any(name.name == "loop" for name in node.test.find_all(nodes.Name)):
                raise Unsupported("loop in a loop filter")
            kept, row = self.fresh("_k"), self.fresh("_r")
            self.emit(depth, f"{kept} = []")
            self.emit(depth, f"for {row} in {values}:")
            self.emit(depth + 1, f"{target} = {row}")
            self.emit(depth + 1, f"if {self.expr(node.test, inner)}:")
            self.emit(depth + 2, f"{kept}.append({row})")
            values = kept
        row = self.fresh("_r")
        if counted:
            index, count, seq = self.fresh("_i"), self.fresh("_n"), self.fresh("_s")
            inner.loop = (index, count)
            self.emit(depth, f"{seq} = list({values})")
            self.emit(depth, f"{count} = len({seq})")
            self.emit(depth, f"for {index}, {row} in enumerate({seq}):")
        else:
            self.emit(depth, f"for {row} in {values}:")
        self.emit(depth + 1, f"{target} = {row}")
        self.bind_stored(inner, node.body, depth + 1)
        self.block(node.body, inner, depth + 1)

    def target(self, node: nodes.Node, scope: Scope) -> str:
        if isinstance(node, nodes.Name):
            found = scope.find(node.name)
            if found is None:
                raise Unsupported("target")
            return found
        if isinstance(node, nodes.Tuple):
            return "(" + "".join(self.target(item, scope) + ", " for item in node.items) + ")"
        raise Unsupported("target " + type(node).__name__)

    def expr(self, node: nodes.Node, scope: Scope) -> str:
        handler = getattr(self, "e_" + type(node).__name__, None)
        if handler is None:
            for kind, operator in BINARY.items():
                if type(node) is kind:
                    return f"({self.expr(node.left, scope)} {operator} {self.expr(node.right, scope)})"
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
        return f"_ga({self.expr(node.node, scope)}, {node.attr!r})"

    def e_Getitem(self, node: nodes.Getitem, scope: Scope) -> str:
        if isinstance(node.arg, nodes.Slice):
            return f"{self.expr(node.node, scope)}[{self.e_Slice(node.arg, scope)}]"
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

    def e_And(self, node: nodes.And, scope: Scope) -> str:
        return f"({self.expr(node.left, scope)} and {self.expr(node.right, scope)})"

    def e_Or(self, node: nodes.Or, scope: Scope) -> str:
        return f"({self.expr(node.left, scope)} or {self.expr(node.right, scope)})"

    def e_Not(self, node: nodes.Not, scope: Scope) -> str:
        return f"(not {self.expr(node.node, scope)})"

    def e_Neg(self, node: nodes.Neg, scope: Scope) -> str:
        return f"(-{self.expr(node.node, scope)})"

    def e_Pos(self, node: nodes.Pos, scope: Scope) -> str:
        return f"(+{self.expr(node.node, scope)})"

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

    return {"_map_attr": _map_attr, "_select_attr": _select_attr}
