"""What the model must answer: the answer models that validate it, their JSON schemas, and reading a completion.

A Kind pairs a request's schema name and strict JSON schema with the pydantic
model its answer must pass; `bounded_kind` adds length bounds for servers that
enforce them. Any change to how answers are read bumps prompts.PROMPT_VERSION.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from digest.models import MODIFICATION_TYPES, Bilingual, ModificationType, PageText
from digest.plaintext import plain

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def _has_japanese(value: str) -> bool:
    return bool(JAPANESE.search(value))


# lowercase English words standing alone: prose, not an identifier (gpt-4o, file.md) or a product name
ENGLISH_WORD = re.compile(r"(?<![\w.\-/])[a-z]{2,}(?![\w.\-/])")
CODE_OR_URL = re.compile(r"`[^`]*`|https?://\S+")
LATIN_LETTER = re.compile(r"[A-Za-z]")


def language_problem(text: str, lang: str) -> str | None:
    """Why `text` is not in `lang` (English prose in a Japanese slot, Japanese in an English one), or None.

    Names, code spans and addresses are left out of the count: a Japanese
    sentence about `gpt-4o` or Azure AI Search is Japanese.
    """
    plain = CODE_OR_URL.sub(" ", text)
    japanese = len(JAPANESE.findall(plain))
    if lang == "ja":
        words = len(ENGLISH_WORD.findall(plain))
        return "English in the Japanese text" if words >= 2 and words * 2 > japanese else None
    return "Japanese in the English text" if japanese >= 4 and japanese > len(LATIN_LETTER.findall(plain)) else None


def _check_languages(texts: dict[str, list[str]]) -> None:
    for lang, values in texts.items():
        for value in values:
            if problem := language_problem(value, lang):
                raise ValueError(f"{problem}: {value[:60]!r}")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BilingualAnswer(_Answer):
    en: str = Field(min_length=1, max_length=2000)
    ja: str = Field(min_length=1, max_length=2000)


class FileAnswer(_Answer):
    explanation: BilingualAnswer
    title: BilingualAnswer
    modification_type: ModificationType

    @field_validator("explanation")
    @classmethod
    def _japanese(cls, value: BilingualAnswer) -> BilingualAnswer:
        # a title may be all identifiers ("GPT-4o mini"); an explanation in Japanese never is
        if not _has_japanese(value.ja):
            raise ValueError("the Japanese explanation has no Japanese characters")
        return value

    @field_validator("title")
    @classmethod
    def _short_title(cls, value: BilingualAnswer) -> BilingualAnswer:
        if max(len(value.en), len(value.ja)) > 200 or "\n" in value.en + value.ja:
            raise ValueError("a title must be one line of at most 200 characters")
        return value

    @field_validator("title", "explanation")
    @classmethod
    def _in_its_language(cls, value: BilingualAnswer) -> BilingualAnswer:
        _check_languages({"en": [value.en], "ja": [value.ja]})
        return value

    def bilingual(self) -> tuple[Bilingual, Bilingual]:
        """The answer as the record keeps it: titles as plain text (no Markdown a model may have written)."""
        title = Bilingual(en=plain(self.title.en), ja=plain(self.title.ja))
        return title, Bilingual(**self.explanation.model_dump())


class PageTextAnswer(_Answer):
    highlight: str = Field(min_length=1, max_length=3000)
    new_features: list[str] = Field(max_length=100)
    breaking_changes: list[str] = Field(max_length=100)
    other_updates: list[str] = Field(max_length=200)
    insight: str = Field(min_length=1, max_length=3000)

    @field_validator("new_features", "breaking_changes", "other_updates")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        items = [" ".join(item.split()) for item in value]
        if not all(items):
            raise ValueError("a list item is blank")
        return items


class PageAnswer(_Answer):
    en: PageTextAnswer
    ja: PageTextAnswer

    @field_validator("ja")
    @classmethod
    def _japanese(cls, value: PageTextAnswer) -> PageTextAnswer:
        if not _has_japanese(value.highlight + value.insight):
            raise ValueError("the Japanese page text has no Japanese characters")
        return value

    @field_validator("en", "ja")
    @classmethod
    def _in_its_language(cls, value: PageTextAnswer, info: Any) -> PageTextAnswer:
        texts = [value.highlight, value.insight, *value.new_features, *value.breaking_changes, *value.other_updates]
        _check_languages({info.field_name: texts})
        return value

    def page_text(self, lang: str) -> PageText:
        """The page text as plain text: highlight, list items and insight carry no Markdown."""
        text = getattr(self, lang)
        items = {key: [plain(item) or item for item in getattr(text, key)] for key in ("new_features", "breaking_changes", "other_updates")}
        return PageText(highlight=plain(text.highlight) or text.highlight, insight=plain(text.insight) or text.insight, **items)


def _strict_object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


_BILINGUAL = _strict_object({"en": {"type": "string"}, "ja": {"type": "string"}})
# strict structured output: every property required, no extra ones; the
# property order is the order the model writes in (explain, then title, then judge)
FILE_SCHEMA: dict[str, Any] = _strict_object(
    {
        "explanation": _BILINGUAL,
        "title": _BILINGUAL,
        "modification_type": {"type": "string", "enum": list(MODIFICATION_TYPES)},
    }
)
_STRINGS = {"type": "array", "items": {"type": "string"}}
_PAGE_TEXT = _strict_object(
    {
        "highlight": {"type": "string"},
        "new_features": _STRINGS,
        "breaking_changes": _STRINGS,
        "other_updates": _STRINGS,
        "insight": {"type": "string"},
    }
)
PAGE_SCHEMA: dict[str, Any] = _strict_object({"en": _PAGE_TEXT, "ja": _PAGE_TEXT})


@dataclass(frozen=True)
class Kind:
    """One kind of request: its schema name, schema and answer model."""

    name: str
    schema: dict[str, Any]
    answer: type[_Answer]


FILE = Kind("file_summary", FILE_SCHEMA, FileAnswer)
PAGE = Kind("page_summary", PAGE_SCHEMA, PageAnswer)
# where a server enforces lengths (not OpenAI's strict mode): the longest string and list each property may be,
# well within the answer models' own limits, so a small model cannot ramble inside a valid answer
STRING_BOUNDS = {"title": 120, "explanation": 600, "highlight": 600, "insight": 600, "item": 200}
# Japanese says the same in fewer characters; a grammar also samples slower the longer its bounds
JAPANESE_BOUNDS = {"title": 60, "explanation": 240, "highlight": 240, "insight": 240, "item": 80}
LIST_BOUNDS = {"new_features": 8, "breaking_changes": 8, "other_updates": 12}


# a Japanese text: a Japanese character early on (within 40 characters; a grammar-bound server cannot answer in English
# there), no quote, backslash or control character, and its length bound in the pattern itself (llama.cpp
# ignores maxLength beside a pattern)
JAPANESE_CLASS = "ぁ-ゖァ-ヺー一-龯々〆ｦ-ﾟ"
PLAIN_CHAR = '[^"\\\\\n\r\t]'


def japanese_pattern(limit: int) -> str:
    lead = min(40, limit // 2)
    return f"^{PLAIN_CHAR}{{0,{lead}}}[{JAPANESE_CLASS}]{PLAIN_CHAR}{{0,{limit - lead - 1}}}$"


def _bound(schema: dict[str, Any], name: str, lang: str = "") -> None:
    if schema.get("type") == "string" and "enum" not in schema:
        bounds = JAPANESE_BOUNDS if lang == "ja" else STRING_BOUNDS
        schema["maxLength"] = bounds.get(name, bounds["item"])
        if lang == "ja":
            schema["pattern"] = japanese_pattern(schema["maxLength"])
    elif schema.get("type") == "array":
        schema["maxItems"] = LIST_BOUNDS.get(name, max(LIST_BOUNDS.values()))
        _bound(schema["items"], "item", lang)
    for key, child in schema.get("properties", {}).items():
        # a language's text is bounded as the field it belongs to (explanation.en as explanation)
        if key in ("en", "ja"):
            _bound(child, name or key, key)
        else:
            _bound(child, key, lang)


def bounded_kind(kind: Kind, strings: bool) -> Kind:
    """The kind with lengths in its schema when the server enforces them; as it is otherwise (same cache keys)."""
    if not strings:
        return kind
    schema = json.loads(json.dumps(kind.schema))  # a deep copy that shares no sub-schema
    _bound(schema, "")
    return replace(kind, schema=schema)


Answer = FileAnswer | PageAnswer


def read_answer(kind: Kind, completion: ChatCompletion) -> tuple[Answer | None, str]:
    """The validated answer of a completion, or None and why not."""
    if not completion.choices:
        return None, "no choices"
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        return None, "the model refused"
    if choice.finish_reason == "length":
        return None, "the answer was cut off (finish_reason length)"
    if choice.finish_reason == "content_filter":
        return None, "the content filter stopped the answer"
    if not message.content:
        return None, "empty answer"
    try:
        return kind.answer.model_validate_json(message.content), ""  # type: ignore[return-value]
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        return None, f"{where}: {first['msg']}"

