"""Service areas: from a file path to a stable area id, through a config of aliases."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from digest.errors import DigestError
from digest.models import AreaName


SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
UNSAFE_RUN = re.compile(r"[^a-z0-9._-]+")


def folder_area_id(folder: str) -> str:
    """The area id of a folder no area lists: its lowercased name when that is a plain slug.

    An id goes into file names, addresses and every page's head, where MkDocs
    and its themes do not escape: a folder named with quotes, markup, `#` or
    `?` gets a slug of its safe characters plus a short hash of the name, so
    two such folders never share an area and none can break a page or a link.
    """
    lowered = folder.lower()
    if SAFE_ID.fullmatch(lowered) and ".." not in lowered:
        return lowered
    slug = UNSAFE_RUN.sub("-", lowered).strip("-.")[:40].strip("-.") or "area"
    return f"{slug}-{hashlib.sha256(folder.encode('utf-8', errors='surrogatepass')).hexdigest()[:8]}"


class AreaDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    ja: str
    en: str
    # path prefixes (folders) that belong to the area; the docs repository
    # moves folders every few months, so one area lists all its homes
    paths: list[str] = []


class AreaConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    catch_all: AreaDefinition
    # folders whose children are areas of their own (articles/ai-services/<x>)
    parent_folders: list[str] = ["articles/ai-services", "articles"]
    areas: list[AreaDefinition]

    def resolve(self, path: str) -> str:
        """The area id of a path: the longest configured prefix, else derived, else the catch-all."""
        best: tuple[int, str] | None = None
        for area in self.areas:
            for prefix in area.paths:
                prefix = prefix.rstrip("/") + "/"
                if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), area.id)
        if best:
            return best[1]
        for parent in sorted(self.parent_folders, key=len, reverse=True):
            prefix = parent.rstrip("/") + "/"
            rest = path[len(prefix) :].split("/") if path.startswith(prefix) else []
            if len(rest) >= 2 and rest[0]:
                return folder_area_id(rest[0])
        return self.catch_all.id

    def name(self, area_id: str) -> AreaName:
        for area in (*self.areas, self.catch_all):
            if area.id == area_id:
                return AreaName(ja=area.ja, en=area.en)
        readable = area_id.replace("-", " ").title()
        return AreaName(ja=readable, en=readable)


def load_area_config(path: Path) -> AreaConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return AreaConfig.model_validate(data)
    except FileNotFoundError as error:
        raise DigestError(f"area config not found: {path}") from error
    except (yaml.YAMLError, ValueError) as error:
        raise DigestError(f"invalid area config {path}: {error}") from error
