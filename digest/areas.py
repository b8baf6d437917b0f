"""Service areas: from a file path to a stable area id, through a config of aliases."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .errors import DigestError
from .models import AreaName


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
                return rest[0].lower()
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
