"""Kinds of path in the docs repository: articles, includes, tables of contents, images, Markdown."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

IMAGE_EXTENSIONS = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|ico|tiff?)$", re.IGNORECASE)
MEDIA_FOLDER = re.compile(r"(^|/)media/")


def is_image_path(path: str) -> bool:
    return bool(IMAGE_EXTENSIONS.search(path))


def is_toc_path(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name in ("toc.yml", "toc.md", "toc.json") or name.startswith("breadcrumb")


def is_include_path(path: str) -> bool:
    parts = path.lower().split("/")
    return "includes" in parts[:-1] or "include" in parts[:-1]


def is_content_path(path: str) -> bool:
    """A file whose text readers read: Markdown or YAML pages and includes (not redirects, configs or samples)."""
    lower = path.lower()
    return lower.endswith((".md", ".markdown", ".yml", ".yaml")) and "/.openpublishing" not in lower and not lower.startswith(".")


def is_article_path(path: str) -> bool:
    """A file that is published as a page of its own on Learn."""
    lower = path.lower()
    return (
        lower.endswith((".md", ".yml"))
        and not is_include_path(path)
        and not is_toc_path(path)
        and not MEDIA_FOLDER.search(lower)
        and lower.startswith("articles/")
        and "/.openpublishing" not in lower
    )


def is_markdown_path(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


# folders under includes/ that say nothing of what an include holds
PLAIN_INCLUDE_FOLDERS = {"includes", "quickstarts", "how-tos", "how-to", "common", "shared"}
# how a path's lower-case word is spelled in the docs' own text (a topic "text to speech dotnet" reads ".NET")
PATH_WORD_SPELLING = {
    "dotnet": ".NET", "csharp": "C#", "javascript": "JavaScript", "typescript": "TypeScript", "python": "Python",
    "java": "Java", "rest": "REST", "cli": "CLI", "powershell": "PowerShell", "api": "API", "sdk": "SDK", "ai": "AI",
    "openai": "OpenAI", "gpt": "GPT", "json": "JSON", "http": "HTTP", "url": "URL", "ui": "UI", "nodejs": "Node.js",
}


def include_topic(path: str) -> str:
    """What an include file's path says it holds, in words: the folders below its includes/ folder (but
    plain ones) and its name, hyphens as spaces, names of languages and tools spelled as the docs spell them
    (includes/language-studio/test-model.md -> "language studio test model", whisper-dotnet.md -> "whisper .NET");
    "" for a path outside an includes/ folder."""
    parts = path.split("/")
    if "includes" not in parts[:-1]:
        return ""
    below = parts[len(parts) - 1 - parts[::-1].index("includes") + 1 :]
    words = [part for part in below[:-1] if part not in PLAIN_INCLUDE_FOLDERS] + [below[-1].rsplit(".", 1)[0]]
    return " ".join(PATH_WORD_SPELLING.get(part, part) for word in words if word for part in word.replace("_", "-").split("-") if part)
