"""Noise: a change readers can skip (images, tables of contents, metadata or whitespace only)."""

from __future__ import annotations

import re

from digest.docsrepo.paths import MEDIA_FOLDER, is_image_path, is_toc_path
from digest.models import FileChange, Noise
from digest.classify.lines import ChangedLine
from digest.classify.markdown import images_in

def noise_of(change: FileChange, lines: list[ChangedLine]) -> Noise:
    if is_image_path(change.path) or (change.binary and MEDIA_FOLDER.search(change.path)):
        return "image"
    if is_toc_path(change.path):
        return "toc"
    if change.status in ("added", "removed"):
        return "none"
    if change.binary or not change.patch:
        return "none"
    content = [line for line in lines if not line.front_matter]
    if lines and not [line for line in content if line.text.strip()]:
        return "metadata" if any(line.front_matter for line in lines) else "whitespace"
    removed = sorted(" ".join(line.text.split()) for line in lines if line.sign == "-")
    added = sorted(" ".join(line.text.split()) for line in lines if line.sign == "+")
    if removed == added:
        return "whitespace"
    changed_content = [line.text for line in content if line.text.strip()]
    if changed_content and all(images_in(text) and not _without_images(text).strip() for text in changed_content):
        return "image"
    return "none"


def _without_images(text: str) -> str:
    text = re.sub(r":::image\b.*?:::", "", text, flags=re.IGNORECASE)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    return text.strip().strip(">").strip()
