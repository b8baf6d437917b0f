"""Every setting is read in digest/config.py: digest.yml, then the environment, then the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import Tracked, load_settings
from digest.errors import DigestError

SECRET = "sk-config-test-0123456789"


def test_the_environment_is_read_once_into_the_settings(tmp_path: Path) -> None:
    (tmp_path / "digest.yml").write_text("model: from-file\nbase_url: http://127.0.0.1:9/v1\n", encoding="utf-8")
    environ = {
        "DIGEST_MODEL": "from-env", "OPENAI_API_KEY": SECRET, "OPENAI_BASE_URL": "http://127.0.0.1:10/v1",
        "DIGEST_SITE_BUILDER": "zensical", "DIGEST_PAGE_CACHE": "off", "DIGEST_HISTORY_PAGES": "off",
        "HOOK_WEBHOOK": "https://hooks.example/abcdefgh",
    }
    settings = load_settings(tmp_path, {}, environ)
    env = settings.environment
    assert settings.model == "from-env" and settings.base_url == "http://127.0.0.1:9/v1"  # the file's, under the env's
    assert (env.model.openai_key, env.model.base_url) == (SECRET, "http://127.0.0.1:10/v1")
    assert (env.site_builder, env.page_cache, env.history_pages) == ("zensical", False, False)
    assert set(env.secrets) == {SECRET, "https://hooks.example/abcdefgh"}
    # the command line wins over the environment; secrets stay out of every repr and dump
    assert load_settings(tmp_path, {"model": "from-cli"}, environ).model == "from-cli"
    assert SECRET not in repr(settings) and SECRET not in repr(env) and SECRET not in settings.model_dump_json()
    defaults = load_settings(tmp_path, {}, {}).environment
    assert (defaults.model.openai_key, defaults.site_builder, defaults.page_cache, defaults.history_pages) == (None, "mkdocs", True, True)


def test_digest_yml_cannot_set_what_the_environment_holds(tmp_path: Path) -> None:
    (tmp_path / "digest.yml").write_text("environment:\n  model:\n    openai_key: sk-in-a-file\n", encoding="utf-8")
    with pytest.raises(DigestError, match="invalid setting environment"):
        load_settings(tmp_path, {}, {})


def test_the_update_stage_gets_the_part_it_uses(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"repo": "git@github.com:me/docs.git", "branch": "live", "timezone": "UTC"}, {})
    assert settings.tracked == Tracked("git@github.com:me/docs.git", "live", "UTC", "https://github.com/me/docs")
    assert str(settings.tracked.tz) == "UTC"
