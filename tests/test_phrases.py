"""The offline wording compiled to Python (digest/summarize/phrases.py) says exactly what Jinja's macros say.

Every macro of templates/offline/{en,ja}.j2 is rendered both ways, over the contexts the fixture range and a
sample of the dev corpus give it (calls from one macro to another included), and over small templates that
each try one corner of Jinja's rules; a macro using a construct the translator does not know is left to Jinja.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from digest.evaluate.corpus import EvalRecord
from digest.evaluate.predict import predict
from digest.models import LANGS
from digest.render.templating import environment
from digest.summarize import OfflineSummarizer, offline
from digest.summarize.phrases import CompiledMacros

from .conftest import CORPUS, PROJECT, read_jsonl
from .support.golden import run_fixture_range

SAMPLE = 400  # corpus records (every 20th of dev-files, and gold-dev)


class Checks:
    """What the checked macros saw: calls compared per (template, macro), and any difference."""

    def __init__(self) -> None:
        self.compared: Counter[tuple[str, str]] = Counter()
        self.differences: list[str] = []
        self.contexts: list[Any] = []  # the file contexts the explanations were told from
        self.templates: dict[str, Any] = {}

    def compare(self, template: str, macro: str, compiled: Any, jinja: Any, *args: Any, **kwargs: Any) -> Any:
        ours, theirs = outcome(lambda: compiled(*args, **kwargs)), outcome(lambda: jinja(*args, **kwargs))
        self.compared[template, macro] += 1
        if ours != theirs:
            self.differences.append(f"{template} {macro}{args!r:.300}: {ours!r} != {theirs!r}")
        return theirs

    def unused_macros(self) -> None:
        """A macro that neither Python nor another macro called over the sample (one kept for a wording not
        used today) is rendered over each file context and each list in it, if it takes one argument."""
        for template, macros in self.templates.items():
            for name in macros.module.__dict__:
                macro = getattr(macros.module, name)
                if not isinstance(macro, jinja2.runtime.Macro) or name in macros.fallbacks or self.compared[template, name] or len(macro.arguments) != 1:
                    continue
                for context in self.contexts[:: max(1, len(self.contexts) // 300)]:
                    for value in [context, *(v for v in context.values() if isinstance(v, dict))]:
                        self.compare(template, name, macros.namespace["m_" + name], macro, value)


def outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - an error is an outcome to compare too
        return ("raised", type(error).__name__)


def checked_macros(checks: Checks) -> type[CompiledMacros]:
    class Checked(CompiledMacros):
        """Each translated macro called both ways; calls between translated macros go through the check too."""

        def __init__(self, env: jinja2.Environment, name: str) -> None:
            super().__init__(env, name)
            checks.templates[name] = self
            for key in list(self.namespace):
                if key.startswith("M_") and key[2:] not in self.fallbacks:
                    self.namespace[key] = self.both(name, key[2:], self.namespace[key], getattr(self.module, key[2:]))

        def both(self, template: str, macro: str, compiled: Any, jinja: Any) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                if macro == "explanation" and len(checks.contexts) < 5_000:
                    checks.contexts.append(args[0])
                theirs = checks.compare(template, macro, compiled, jinja, *args, **kwargs)
                return jinja(*args, **kwargs) if isinstance(theirs, tuple) else theirs

            return call

    return Checked


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory, areas: Any) -> Iterator[Checks]:
    found = Checks()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(offline, "CompiledMacros", checked_macros(found))
        run_fixture_range(tmp_path_factory.mktemp("phrases") / "project")
        rows = read_jsonl(CORPUS / "dev-files.jsonl")[::20][:SAMPLE] + read_jsonl(CORPUS / "gold-dev.jsonl")
        predict([EvalRecord.model_validate(row) for row in rows], areas, OfflineSummarizer(str(PROJECT / "templates")))
    found.unused_macros()
    yield found


def test_every_macro_of_the_offline_templates_is_translated() -> None:
    env = environment(str(PROJECT / "templates"))
    for lang in LANGS:
        assert CompiledMacros(env, f"offline/{lang}.j2").fallbacks == set(), lang


def test_translated_macros_say_what_jinja_says(checks: Checks) -> None:
    assert not checks.differences, "\n".join(checks.differences[:10])


def test_every_macro_was_compared(checks: Checks) -> None:
    env = environment(str(PROJECT / "templates"))
    for lang in LANGS:
        template = f"offline/{lang}.j2"
        names = {node.name for node in env.parse(env.loader.get_source(env, template)[0]).find_all(jinja2.nodes.Macro)}
        assert names - {macro for (where, macro), count in checks.compared.items() if where == template and count} == set()


def both_ways(tmp_path: Path, source: str, macro: str, *args: Any, **kwargs: Any) -> tuple[Any, Any, set[str]]:
    """A macro of `source` rendered by the translation and by Jinja (an error as its type's name)."""
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    compiled = CompiledMacros(environment(str(tmp_path)), "t.j2")
    ours = outcome(lambda: getattr(compiled, macro)(*args, **kwargs))
    return ours, outcome(lambda: getattr(compiled.module, macro)(*args, **kwargs)), compiled.fallbacks


class Thing:
    """An object whose attributes differ from its items, as a View's never do."""

    kind = "attribute"

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


CORNERS = [
    # look-ups: attribute before item, item before attribute, neither (an error under StrictUndefined)
    ("{% macro m(x) %}{{ x.kind }} {{ x['kind'] }} {{ x.other }} {{ x['other'] }}{% endmacro %}", (Thing(),)),
    ("{% macro m(d) %}{{ d.get('a', 'none') }} {{ d['items'] }} {{ d.a }}{% endmacro %}", ({"a": 1, "items": [2]},)),
    ("{% macro m(d) %}{{ d.missing }}{% endmacro %}", ({"a": 1},)),
    ("{% macro m(d) %}{{ d.missing.deeper }}{% endmacro %}", ({"a": 1},)),
    ("{% macro m(d) %}{{ 'yes' if d.missing }}{% endmacro %}", ({"a": 1},)),
    ("{% macro m(n) %}{{ n }} line{{ 's' if n != 1 }}{% endmacro %}", (1,)),
    ("{% macro m(n) %}{{ n }} line{{ 's' if n != 1 }}{% endmacro %}", (3,)),
    # loops: counters, a filter, unpacking, nesting, names set inside a loop not seen after it
    ("{% macro m(xs) %}{% for x in xs if x > 1 %}{{ loop.index }}/{{ loop.length }}:{{ x }}{{ ',' if not loop.last }}{% endfor %}{% endmacro %}", ([1, 2, 3, 0, 5],)),
    ("{% macro m(d) %}{% for k, (a, b) in d.items() %}{{ k }}={{ a ~ b }}{{ loop.revindex }};{% endfor %}{% endmacro %}", ({"x": (1, 2), "y": "ab"},)),
    ("{% macro m(xs) %}{% for x in xs %}{% for y in x %}{{ loop.index0 }}{{ y }}{% endfor %}|{{ loop.first }}{% endfor %}{% endmacro %}", (["ab", "c"],)),
    ("{% macro m(xs) %}{% set s = 'before' %}{% for x in xs %}{{ said }}{% set said = x %}{{ said }}{% endfor %}{{ s }}{% endmacro %}", ([1, 2],)),
    ("{% macro m(xs) %}{% for x in xs %}{% if x %}{% set t = x %}{% endif %}{{ t }}{% endfor %}{% endmacro %}", ([1, 0],)),
    # sets, macro calls with keywords and defaults, top-level names
    ("{% set WORDS = {'a': ('one', 'many')} %}{% macro w(k, n=1) %}{{ WORDS[k][0 if n == 1 else 1] }}{% endmacro %}"
     "{% macro m(k) %}{{ w(k) }} {{ w(k, n=2) }} {{ w(n=3, k=k) }}{% endmacro %}", ("a",)),
    ("{% macro m(x) %}{% if x > 2 %}{% set y = 'big' %}{% elif x > 1 %}{% set y = 'mid' %}{% else %}{% set y = 'small' %}{% endif %}{{ y }}{% endmacro %}", (2,)),
    ("{% macro m(x) %}{% if x %}{% set y = 1 %}{% endif %}{{ y }}{% endmacro %}", (0,)),
    # filters and operators
    ("{% macro m(fs) %}{{ fs|selectattr('kind', 'equalto', 'a')|map(attribute='n')|list }} {{ fs|rejectattr('kind', 'in', ('a',))|list|length }}"
     " {{ fs|map(attribute='n')|sum }} {{ fs|map(attribute='l')|sum(start=[]) }}{% endmacro %}",
     ([{"kind": "a", "n": 1, "l": [1]}, {"kind": "b", "n": 2, "l": [2]}],)),
    ("{% macro m(s) %}{{ s|upper }}{{ s[:1]|lower ~ s[1:] }} {{ s|capitalize }} {{ s|int }} {{ '12'|int + 1 }} {{ [s, 'b']|join(', ') }} {{ s[::-1] }}{% endmacro %}", ("aBc",)),
    ("{% macro m(a, b) %}{{ a + b }} {{ a - b }} {{ a * b }} {{ a / b }} {{ a // b }} {{ a % b }} {{ -a }} {{ 1 < a <= b }} {{ a not in [b] }} {{ a is defined }}{% endmacro %}", (7, 2)),
    ("{% macro m(x) %}{{ x|code }} {{ {'added': 'new'}.get(x, 'changed') }} {{ x.startswith(('a', 'b')) }}{% endmacro %}", ("added",)),
    ("{% macro m(xs) %}{{ xs|length }}{% endmacro %}", (None,)),
]


@pytest.mark.parametrize(("source", "args"), CORNERS)
def test_a_corner_of_jinja_is_kept(tmp_path: Path, source: str, args: tuple[Any, ...]) -> None:
    ours, theirs, fallbacks = both_ways(tmp_path, source, "m", *args)
    assert fallbacks == set()
    assert ours == theirs


UNKNOWN = """{% macro shout(x) %}{% filter upper %}{{ x }}{% endfilter %}{% endmacro %}
{% macro cycled(xs) %}{% for x in xs %}{{ loop.cycle('odd', 'even') }}{{ x }}{% endfor %}{% endmacro %}
{% macro mapped(xs) %}{{ xs|map('upper')|join(' ') }}{% endmacro %}
{% macro m(x) %}{{ shout(x) }} {{ cycled([x, x]) }} {{ mapped([x]) }}{% endmacro %}
"""


@pytest.mark.parametrize("macro", ["shout", "cycled", "mapped", "m"])
def test_a_construct_the_translator_does_not_know_is_left_to_jinja(tmp_path: Path, macro: str) -> None:
    args = (["a", "b"],) if macro in ("cycled", "mapped") else ("hi",)
    ours, theirs, fallbacks = both_ways(tmp_path, UNKNOWN, macro, *args)
    assert fallbacks == {"shout", "cycled", "mapped"}
    assert ours == theirs and not isinstance(ours, tuple)


@pytest.mark.parametrize(
    "source",
    [
        "{% if true %}{% set X = 1 %}{% endif %}{% macro m() %}{{ X is defined }}{% endmacro %}",  # top level not plain
        "{% macro m() %}{{ n is defined }}{% endmacro %}",  # a name nothing binds
        "{% set X = 1 %}{% macro m() %}{% set X = 2 %}{{ X }}{% endmacro %}",  # a set hiding a top-level name
        "{% macro m() %}{{ caller is defined }}{% endmacro %}",
    ],
)
def test_a_macro_whose_names_jinja_resolves_at_run_time_is_left_to_it(tmp_path: Path, source: str) -> None:
    ours, theirs, fallbacks = both_ways(tmp_path, source, "m")
    assert fallbacks == {"m"} and ours == theirs
