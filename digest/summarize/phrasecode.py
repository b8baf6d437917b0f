"""Python source for one Jinja macro (see phrases.py): the statements of the subset the offline templates use
(output, if, for, set), each written as Jinja's own code generator evaluates it; anything else raises Unsupported."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from jinja2 import nodes

from digest.summarize.phraseexpr import PLAIN_CONSTANTS, ExpressionWriter, Scope, Unsupported

if TYPE_CHECKING:
    from digest.summarize.phrases import Known

# methods of str, dict, list and tuple that only read: a macro whose calls are these (or macros) is run again
# without harm when its fast body gives way to the exact one
PURE_METHODS = frozenset(
    "startswith endswith get items values keys split rsplit strip lstrip rstrip lower upper title capitalize"
    " replace count find rfind index isdigit isalpha isspace join format casefold splitlines partition".split()
)


# the generated code's own names (locals v_1, t_2, _o, ...; globals K0_..., M_..., _ga, ...) and the built-ins it calls
GENERATED = re.compile(r"_.*|[vt]_\d+|K\d.*|[Mm]_.*|(str|len|list|enumerate|sum|map|getattr)")


def param_name(name: str) -> str:
    """A macro's parameter keeps its name (a call may name it), unless that name is the generated code's."""
    if keyword.iskeyword(name) or not name.isidentifier() or GENERATED.fullmatch(name):
        raise Unsupported(f"parameter {name}")
    return name


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

class MacroTranslator(ExpressionWriter):
    """Writes `def m_<name>(...)` for one macro."""

    def __init__(self, macro: nodes.Macro, known: Known) -> None:
        self.macro, self.known = macro, known
        self.lines: list[str] = []
        self.counter = 0
        self.fast = self.guarded = False

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"{base}_{self.counter}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def source(self) -> str:
        macro = self.macro
        if any(not isinstance(arg, nodes.Name) for arg in macro.args):
            raise Unsupported("argument")
        params = []
        first_default = len(macro.args) - len(macro.defaults)
        for index, arg in enumerate(macro.args):
            if index >= first_default:
                default = macro.defaults[index - first_default]
                if not isinstance(default, nodes.Const) or not isinstance(default.value, PLAIN_CONSTANTS):
                    raise Unsupported("default")
                params.append(f"{param_name(arg.name)}={default.value!r}")
            else:
                params.append(f"{param_name(arg.name)}={self.known.undefined(arg.name, f'parameter {arg.name!r} was not provided')}")
        self.guarded = self.pure()
        scope = Scope(names={arg.name: arg.name for arg in macro.args})
        self.emit(0, f"def m_{macro.name}({', '.join(params)}):")
        self.emit(1, "_o = []")
        self.bind_stored(scope, macro.body, 1)
        self.block(macro.body, scope, 1)
        self.emit(1, "return ''.join(_o)")
        return "\n".join(self.lines) + "\n"

    def statement(self, depth: int, write: Callable[[], str]) -> None:
        """One statement, written twice when the macro is pure: reading attributes and items directly (fast),
        and, should that raise what a failed read raises, as Jinja reads them (exact: attribute, then item, then
        undefined). Up to a failed read both do the same steps and nothing they call changes anything, so the
        result is Jinja's."""
        self.fast = False
        exact = write()
        if not self.guarded:
            self.emit(depth, exact)
            return
        self.fast = True
        fast = write()
        self.fast = False
        if fast == exact:
            self.emit(depth, exact)
            return
        self.emit(depth, "try:")
        self.emit(depth + 1, fast)
        self.emit(depth, "except (AttributeError, LookupError, TypeError):")
        self.emit(depth + 1, exact)

    def pure(self) -> bool:
        """Whether every call in the macro is to a macro the translator writes, or to a method that only reads."""
        for call in self.macro.find_all(nodes.Call):
            callee = call.node
            if isinstance(callee, nodes.Name) and callee.name in self.known.macros:
                continue
            if not (isinstance(callee, nodes.Getattr) and callee.attr in PURE_METHODS):
                return False
        return True

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
        def write() -> str:
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
            return f"_o.append({written[0]})" if len(written) == 1 else f"_o.extend(({', '.join(written)},))"

        if any(not isinstance(child, nodes.TemplateData) or child.data for child in node.nodes):
            self.statement(depth, write)

    def s_If(self, node: nodes.If, scope: Scope, depth: int) -> None:
        """`if`, `elif`s and `else` as a flat chain: each test is a statement of its own (see `statement`)."""
        done = self.fresh("_d")
        branches = [(node.test, node.body)] + [(branch.test, branch.body) for branch in node.elif_]
        if len(branches) > 1 or node.else_:
            self.emit(depth, f"{done} = False")
        for index, (test, body) in enumerate(branches):
            inner = depth
            if index:
                self.emit(depth, f"if not {done}:")
                inner = depth + 1
            self.statement(inner, lambda test=test: f"_c = {self.expr(test, scope)}")
            self.emit(inner, "if _c:")
            if len(branches) > 1 or node.else_:
                self.emit(inner + 1, f"{done} = True")
            self.block(body, scope, inner + 1)
        if node.else_:
            self.emit(depth, f"if not {done}:")
            self.block(node.else_, scope, depth + 1)

    def s_Assign(self, node: nodes.Assign, scope: Scope, depth: int) -> None:
        self.statement(depth, lambda: f"{self.target(node.target, scope)} = {self.expr(node.node, scope)}")

    def s_For(self, node: nodes.For, scope: Scope, depth: int) -> None:
        if node.recursive or node.else_:
            raise Unsupported("recursive loop or loop else")
        values = self.fresh("_v")
        self.statement(depth, lambda: f"{values} = {self.expr(node.iter, scope)}")
        inner = Scope(parent=scope)
        for name in target_names(node.target):
            inner.names[name] = self.fresh("t")
        target = self.target(node.target, inner)
        if node.test is not None:
            if any(name.name == "loop" for name in node.test.find_all(nodes.Name)):
                raise Unsupported("loop in a loop filter")
            kept, row = self.fresh("_k"), self.fresh("_r")
            self.emit(depth, f"{kept} = []")
            self.emit(depth, f"for {row} in {values}:")
            self.emit(depth + 1, f"{target} = {row}")
            self.statement(depth + 1, lambda: f"_c = {self.expr(node.test, inner)}")
            self.emit(depth + 1, "if _c:")
            self.emit(depth + 2, f"{kept}.append({row})")
            values = kept
        row = self.fresh("_r")
        if reads_loop(node.body):
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

