"""Site stage: both languages built with MkDocs Material into public/ (Japanese first: it wipes public/)."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from .config import Settings
from .errors import DigestError
from .fsutil import write_text_atomic

log = logging.getLogger(__name__)

CONFIGS = (("ja", "mkdocs.yml"), ("en", "mkdocs.en.yml"))
STAMP = "build-stamp"
SITE_INPUTS = ("mkdocs.yml", "mkdocs.en.yml", "overrides", "hooks")


def site_urls(site_url: str) -> dict[str, str]:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return {"DIGEST_SITE_URL": base, "DIGEST_SITE_URL_EN": base + "en/"}


def inputs_digest(settings: Settings) -> str:
    """A hash of everything the build reads, to skip a build that would change nothing."""
    digest = hashlib.sha256(settings.site_url.encode())
    roots = [settings.docs_dir, *(settings.root / name for name in SITE_INPUTS)]
    for root in roots:
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root] if root.exists() else []
        for path in paths:
            digest.update(str(path.relative_to(settings.root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_up_to_date(settings: Settings) -> bool:
    stamp = settings.work_dir / STAMP
    return (
        (settings.public_dir / "index.html").exists()
        and (settings.public_dir / "en" / "index.html").exists()
        and stamp.exists()
        and stamp.read_text().strip() == inputs_digest(settings)
    )


def build(settings: Settings, force: bool = False) -> bool:
    """Build both languages; False when the built site was already current."""
    if not force and is_up_to_date(settings):
        log.info("site is up to date: %s", settings.public_dir)
        return False
    environment = {**os.environ, **site_urls(settings.site_url), "NO_MKDOCS_2_WARNING": "1"}
    for lang, config in CONFIGS:
        started = time.monotonic()
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(settings.root / config)]
        completed = subprocess.run(command, cwd=settings.root, env=environment, capture_output=True, text=True)
        if completed.returncode != 0:
            details = (completed.stderr or completed.stdout).strip().splitlines()
            log.debug("mkdocs output:\n%s", "\n".join(details))
            last = next((line for line in reversed(details) if line.strip()), "no output")
            raise DigestError(f"site build ({lang}) failed: {last}")
        log.info("built the %s site in %.1f s", lang, time.monotonic() - started)
    write_text_atomic(settings.work_dir / STAMP, inputs_digest(settings) + "\n")
    return True
