"""`digest notify`: payloads checked by stand-ins of Slack, Teams, Discord and a JSON endpoint on 127.0.0.1,
limits of long days, retries, exactly-once across a SIGKILL and a rerun, filters, no flood, no secret leaks."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.cli import main
from digest.config import Settings
from digest.models import Bilingual, DigestRecord, FileLinks, LearnLinks
from digest.notify.ledger import LEDGER_FILE, load_ledger
from digest.notify.settings import Target
from digest.notify.watch import watches
from digest.record import iter_records, write_record
from digest.render.pages import file_anchors

from .conftest import BUNDLE, make_project
from .webhook_server import WebhookServer

KINDS = ("slack", "teams", "discord", "json")
SECRET = "T0SECRET-do-not-leak-42"
DAYS = ["--since", "2025-02-03", "--until", "2025-02-28"]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding the fixture's 12 days of records (offline summaries), made once for the module."""
    root = make_project(tmp_path_factory.mktemp("notify") / "project")
    assert main(["update", "--root", str(root), "--repo", str(BUNDLE), *DAYS, "--summarizer", "offline"]) == 0
    return root


@pytest.fixture
def project(history: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    subprocess.run(["cp", "-a", str(history), str(root)], check=True)
    return root


@pytest.fixture
def server() -> Any:
    with WebhookServer() as running:
        yield running


def configure(root: Path, targets: list[dict[str, Any]], **notify: Any) -> None:
    notify = {"backoff_seconds": 0.01, **notify, "targets": targets}
    (root / "digest.yml").write_text(yaml.safe_dump({"notify": notify}, allow_unicode=True), encoding="utf-8")


def every_kind(language: dict[str, str] | None = None, **extra: Any) -> list[dict[str, Any]]:
    language = language or {"slack": "en", "teams": "ja", "discord": "en", "json": "ja"}
    return [{"name": f"team-{kind}", "kind": kind, "url_env": f"HOOK_{kind.upper()}", "language": language[kind], **extra}
            for kind in KINDS]


def hook_env(server: WebhookServer) -> dict[str, str]:
    return {f"HOOK_{kind.upper()}": server.url(kind, f"{kind}-{SECRET}") for kind in KINDS}


@pytest.fixture
def hooks(server: WebhookServer, monkeypatch: pytest.MonkeyPatch) -> WebhookServer:
    for name, url in hook_env(server).items():
        monkeypatch.setenv(name, url)
    return server


def notify(root: Path, *args: str) -> int:
    return main(["notify", "--root", str(root), "--site-url", "https://docs.example/digest/", *args])


def day_of(received: Any) -> str:
    payload = received.json()
    text = payload.get("headline") or payload.get("text") or payload.get("content") or json.dumps(payload, ensure_ascii=False)
    return DATE.search(text).group(0)


def watched_days(root: Path, types: tuple[str, ...] = ("breaking change", "new feature"), since: str = "0000") -> Counter[str]:
    """Days with files of these types: what a target with the default filter should hear of."""
    days = Counter[str]()
    for record in iter_records(root / "data" / "digests"):
        if record.date.isoformat() >= since and any(f.modification_type in types for f in record.files):
            days[record.date.isoformat()] += 1
    return days


def ledger(root: Path) -> Any:
    return load_ledger(root / "data" / LEDGER_FILE)


# --- payloads, links, language ---------------------------------------------------------------------------


def test_every_kind_gets_one_valid_message_per_day_and_links_to_the_file_sections(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind())
    assert notify(project, "--since", "2025-02-03") == 0
    expected_days = sorted(watched_days(project))
    assert len(expected_days) >= 8
    for kind in KINDS:
        got = [r for r in hooks.requests if r.kind == kind]
        assert [r.problems for r in got] == [[]] * len(got), kind
        assert sorted(day_of(r) for r in got) == expected_days, kind
        assert all(r.status in (200, 202) for r in got)
    assert all(r.query == {"wait": ["true"]} for r in hooks.requests if r.kind == "discord")
    assert all(r.json()["allowed_mentions"] == {"parse": []} for r in hooks.requests if r.kind == "discord")
    assert {r.headers["idempotency-key"] for r in hooks.requests if r.kind == "json"} == {
        f"team-json:{day}#1" for day in expected_days}
    # languages: Teams and JSON in Japanese (ja links at the site root), Slack and Discord in English (/en/)
    teams = json.dumps([r.json() for r in hooks.requests if r.kind == "teams"], ensure_ascii=False)
    assert "破壊的変更" in teams and "https://docs.example/digest/2025-" in teams and "/en/" not in teams
    slack = json.dumps([r.json() for r in hooks.requests if r.kind == "slack"])
    assert "Breaking changes" in slack and "https://docs.example/digest/en/2025-" in slack and "learn.microsoft.com/en-us/" in slack
    # each item's digest link is the anchor render.py gives that file's section, and the section exists
    assert main(["render", "--root", str(project)]) == 0
    records = {r.slug: r for r in iter_records(project / "data" / "digests")}
    for received in hooks.requests:
        if received.kind != "json":
            continue
        for item in received.json()["items"]:
            slug, anchor = re.fullmatch(r"https://docs\.example/digest/([^/]+)/#(file-\d+)", item["digest_url"]).groups()
            assert file_anchors(records[slug])[item["path"]] == anchor
            post = (project / "site" / "ja" / "posts" / f"{slug}.md").read_text(encoding="utf-8")
            assert f"{{ #{anchor} }}" in post
            assert item["modification_type"] in ("breaking change", "new feature")
            assert set(item["title"]) == {"ja", "en"} and "patch" not in item


def test_a_rerun_sends_nothing_again(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind())
    assert notify(project, "--since", "2025-02-03") == 0
    first = len(hooks.requests)
    assert first > 0
    assert notify(project) == 0
    assert notify(project, "--since", "2025-02-03") == 0
    assert len(hooks.requests) == first
    assert all(entry.status == "sent" for target in ledger(project).targets.values() for entry in target.messages.values())


def test_a_first_run_on_an_existing_history_sends_only_the_newest_day_then_each_new_one(
    project: Path, hooks: WebhookServer
) -> None:
    configure(project, every_kind())
    assert notify(project) == 0
    assert sorted({day_of(r) for r in hooks.requests}) == ["2025-02-28"]
    assert len(hooks.requests) == 4
    # the next day's digests arrive: only they are sent
    digests = project / "data" / "digests"
    for record in [r for r in iter_records(digests) if r.date.isoformat() == "2025-02-26"]:
        write_record(digests, record.model_copy(update={"date": record.date.replace(month=3, day=1)}))
    assert notify(project) == 0
    assert sorted(day_of(r) for r in hooks.requests[4:]) == ["2025-03-01"] * 4


def test_a_digest_that_grows_later_gets_one_update_with_only_the_new_files(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind()[:1])
    assert notify(project) == 0
    assert len(hooks.requests) == 1
    digests = project / "data" / "digests"
    record = next(r for r in iter_records(digests) if r.date.isoformat() == "2025-02-28")
    added = record.files[0].model_copy(update={
        "path": "articles/ai-studio/how-to/brand-new.md", "modification_type": "breaking change", "status": "added",
        "title": Bilingual(ja="新しい記事", en="Model gpt-x retired"),
    })
    write_record(digests, record.model_copy(update={"files": [*record.files, added], "head": "f" * 40}))
    assert notify(project) == 0
    assert notify(project) == 0
    update = hooks.requests[1:]
    assert len(update) == 1
    text = json.dumps(update[0].json(), ensure_ascii=False)
    assert "(update)" in text and "Model gpt-x retired" in text and "Phi-4-multimodal" not in text
    assert set(ledger(project).targets["team-slack"].messages) == {"2025-02-28#1", "2025-02-28#2"}


def test_old_digests_rewritten_by_a_backfill_stay_quiet(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind()[:1])
    assert notify(project, "--since", "2025-02-03") == 0
    sent = len(hooks.requests)
    digests = project / "data" / "digests"
    for day in ("2025-02-06", "2025-02-26"):  # 22 days and 2 days before the newest day
        record = next(r for r in iter_records(digests) if r.date.isoformat() == day)
        added = record.files[0].model_copy(update={"path": f"articles/new-{day}.md", "modification_type": "breaking change"})
        write_record(digests, record.model_copy(update={"files": [*record.files, added]}))
    assert notify(project) == 0
    assert [day_of(r) for r in hooks.requests[sent:]] == ["2025-02-26"]  # lookback_days: 7


# --- filters ------------------------------------------------------------------------------------------------


def test_filters_by_type_area_path_glob_and_learn_url(project: Path, hooks: WebhookServer) -> None:
    records = list(iter_records(project / "data" / "digests"))
    removed = next(f for r in records for f in r.files if f.status == "removed" and f.path.endswith(".md"))
    include = next(f for r in records for f in r.files if f.links.included_by)
    configure(project, [
        {"name": "search-only", "kind": "json", "url_env": "HOOK_JSON", "areas": ["search"]},
        {"name": "openai-glob", "kind": "json", "url_env": "HOOK_JSON", "paths": ["articles/ai-services/openai/*"]},
        {"name": "watch-removed", "kind": "json", "url_env": "HOOK_JSON",
         "learn_urls": [f"https://learn.microsoft.com/ja-jp/azure/{removed.path[len('articles/'):-3]}?tabs=x#top"]},
        {"name": "watch-includer", "kind": "json", "url_env": "HOOK_JSON", "types": ["minor update"],
         "learn_urls": [include.links.included_by[0].replace("/azure/", "/en-us/azure/")]},
        {"name": "fixes", "kind": "json", "url_env": "HOOK_JSON", "types": ["bug fix"]},
    ])
    assert notify(project, "--since", "2025-02-03") == 0
    items: dict[str, list[dict[str, Any]]] = {}
    for received in hooks.requests:
        items.setdefault(received.json()["target"], []).extend(received.json()["items"])
    assert items["search-only"] and {i["area"] for i in items["search-only"]} == {"search"}
    assert items["openai-glob"] and all(i["path"].startswith("articles/ai-services/openai/") for i in items["openai-glob"])
    assert [i["path"] for i in items["watch-removed"]] == [removed.path]
    assert include.path in [i["path"] for i in items["watch-includer"]]
    assert items["fixes"] and {i["modification_type"] for i in items["fixes"]} == {"bug fix"}
    expected = sum(1 for r in records for f in r.files if f.modification_type == "bug fix")
    assert len(items["fixes"]) == expected


def test_a_filter_matches_the_old_path_of_a_move_and_nothing_outside_it(history: Path) -> None:
    record = next(iter_records(history / "data" / "digests"))
    file = record.files[0].model_copy(update={
        "path": "articles/foundry/new-home.md", "old_path": "articles/ai-services/openai/old-home.md",
        "status": "renamed", "modification_type": "breaking change",
        "links": FileLinks(learn=LearnLinks(ja="https://learn.microsoft.com/ja-jp/azure/foundry/new-home",
                                            en="https://learn.microsoft.com/en-us/azure/foundry/new-home"), github="https://github.com/x"),
    })
    def target(**watch: Any) -> Target:
        return Target(name="t", kind="json", url_env="X", **watch)
    assert watches(target(paths=["articles/ai-services/openai/*"]), record, file)
    assert watches(target(learn_urls=["https://learn.microsoft.com/azure/ai-services/openai/old-home/"]), record, file)
    assert watches(target(learn_urls=["https://learn.microsoft.com/de-de/azure/foundry/NEW-home"]), record, file)
    assert not watches(target(paths=["articles/ai-services/speech/*"]), record, file)
    assert not watches(target(types=["new feature"]), record, file)
    assert not watches(target(areas=["speech"]), record.model_copy(update={"area": "openai"}), file)


# --- long days and hostile text ----------------------------------------------------------------------------

HOSTILE = "<!channel> @everyone *bold* [click](javascript:alert(1)) <script>x</script> | > # "


def long_day(root: Path, files: int = 400) -> None:
    """One day whose digest has `files` breaking changes and new features with long, hostile titles."""
    digests = root / "data" / "digests"
    base = next(r for r in iter_records(digests) if r.date.isoformat() == "2025-02-26" and r.area == "openai")
    many = []
    for number in range(files):
        kind = "breaking change" if number % 3 == 0 else "new feature"
        many.append(base.files[0].model_copy(update={
            "path": f"articles/ai-services/openai/page-{number:03}.md", "modification_type": kind,
            "additions": number, "title": Bilingual(ja=f"長い題 {number} " + "あ" * 400 + HOSTILE,
                                                    en=f"Long title {number} " + HOSTILE * 8),
        }))
    write_record(digests, base.model_copy(update={"date": base.date.replace(month=3, day=2), "files": many}))


def test_a_long_day_stays_one_message_within_every_kinds_limits(project: Path, hooks: WebhookServer) -> None:
    long_day(project)
    configure(project, every_kind(max_items=25))
    assert notify(project, "--since", "2025-03-02") == 0
    assert Counter(r.kind for r in hooks.requests) == Counter({kind: 1 for kind in KINDS})
    for received in hooks.requests:
        assert received.problems == [] and received.status in (200, 202), (received.kind, received.problems)
    payloads = {r.kind: r.json() for r in hooks.requests}
    slack = payloads["slack"]["blocks"]
    assert 2 < len(slack) <= 50 and slack[-1]["type"] == "context" and "more" in slack[-1]["elements"][0]["text"]
    assert "🔴" in slack[1]["text"]["text"]  # breaking changes first
    assert "<!channel>" not in json.dumps(slack) and "&lt;!channel&gt;" in json.dumps(slack)
    discord = payloads["discord"]
    assert len(discord["content"]) <= 2000 and len(discord["embeds"][0]["description"]) <= 4096
    assert "ほか" not in discord["embeds"][0]["description"] and "more:" in discord["embeds"][0]["description"]
    assert "\\@everyone" in discord["embeds"][0]["description"] and "\\[click\\]" in discord["embeds"][0]["description"]
    teams_bytes = len([r for r in hooks.requests if r.kind == "teams"][0].body)
    assert teams_bytes <= 28 * 1024
    assert "ほか" in json.dumps(payloads["teams"], ensure_ascii=False)
    assert len(payloads["json"]["items"]) == 400  # the JSON endpoint gets every file
    types = [i["modification_type"] for i in payloads["json"]["items"]]
    assert types == sorted(types, key=["breaking change", "new feature"].index)


# --- retries ----------------------------------------------------------------------------------------------


def test_429_and_5xx_are_retried_honouring_retry_after(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind()[:3])
    hooks.script("/slack/", "429:1", "503:0")
    hooks.script("/discord/", "429")  # Discord's JSON retry_after, no header
    hooks.script("/teams/", "500", "500")
    started = time.monotonic()
    assert notify(project) == 0
    slack = [r for r in hooks.requests if r.kind == "slack"]
    assert [r.status for r in slack] == [429, 503, 200]
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was waited for (the backoff is 0.01 s)
    assert [r.status for r in hooks.requests if r.kind == "discord"] == [429, 200]
    assert [r.status for r in hooks.requests if r.kind == "teams"] == [500, 500, 202]
    assert all(entry.status == "sent" for t in ledger(project).targets.values() for entry in t.messages.values())


def test_a_post_that_keeps_failing_is_reported_and_sent_on_the_next_run(
    project: Path, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, every_kind()[1:2])
    hooks.script("/teams/", "503", "503", "503", "503")  # 1 try + 3 retries
    assert notify(project, "-v") == 0  # never fails the job
    log = capsys.readouterr()
    assert "tried again on the next run" in log.err + log.out
    assert SECRET not in log.err + log.out
    entry = ledger(project).targets["team-teams"].messages["2025-02-28#1"]
    assert entry.status == "failed" and entry.attempts == 4 and "503" in (entry.error or "")
    assert hooks.delivered() == []
    assert notify(project) == 0
    assert len(hooks.delivered("teams")) == 1
    assert ledger(project).targets["team-teams"].messages["2025-02-28#1"].status == "sent"
    assert notify(project) == 0
    assert len(hooks.delivered("teams")) == 1


def test_a_retry_after_beyond_the_cap_ends_the_runs_attempts(project: Path, hooks: WebhookServer) -> None:
    configure(project, every_kind()[:1], max_retry_after=5)
    hooks.script("/slack/", "429:3600")
    started = time.monotonic()
    assert notify(project) == 0
    assert time.monotonic() - started < 30
    assert [r.status for r in hooks.requests] == [429]
    assert ledger(project).targets["team-slack"].messages["2025-02-28#1"].status == "failed"


# --- exactly once across a SIGKILL ------------------------------------------------------------------------


def start(root: Path, server: WebhookServer, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "notify", "--root", str(root), *args],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, **hook_env(server), "TERM": "dumb"},
    )


def test_killed_mid_post_then_rerun_sends_every_message_exactly_once(project: Path, server: WebhookServer) -> None:
    configure(project, every_kind())
    planned = len(watched_days(project)) * len(KINDS)
    # the 6th post is held by the service: the run is SIGKILLed while it waits for the answer
    server.script("/", *["ok"] * 5, "hang")
    process = start(project, server, "--since", "2025-02-03")
    assert server.state.hanging.wait(60), "the run never reached the held post"
    process.send_signal(signal.SIGKILL)
    process.wait()
    server.release()
    time.sleep(0.2)
    assert len(server.requests) == 6
    entries = [e for t in ledger(project).targets.values() for e in t.messages.values()]
    assert Counter(e.status for e in entries) == Counter({"sent": 5, "pending": 1})

    rerun = start(project, server, "--since", "2025-02-03")
    output = rerun.communicate(timeout=120)[0].decode()
    assert rerun.returncode == 0, output
    assert "not sent again" in output and SECRET not in output
    posts = Counter((r.kind, day_of(r)) for r in server.requests)
    assert set(posts.values()) == {1}, [key for key, count in posts.items() if count > 1]
    assert len(posts) == planned
    statuses = Counter(e.status for t in ledger(project).targets.values() for e in t.messages.values())
    assert statuses == Counter({"sent": planned - 1, "unconfirmed": 1})
    assert not list(project.rglob(".*.tmp"))


# --- dry run, secrets, bad settings --------------------------------------------------------------------------


def test_dry_run_prints_every_kind_and_sends_or_records_nothing(
    project: Path, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, every_kind())
    assert notify(project, "--dry-run", "--payload") == 0
    out = capsys.readouterr().out
    for kind in KINDS:
        assert f"── {kind} → team-{kind}" in out
    assert "Azure AI Docs Digest — 2025-02-28: New features: 1" in out
    assert "Azure AI ドキュメント更新ダイジェスト — 2025-02-28: 新機能 1 件" in out
    assert '"type":"AdaptiveCard"' in out  # --payload: the JSON as posted
    assert hooks.requests == [] and not (project / "data" / LEDGER_FILE).exists()


def test_webhook_urls_are_never_written_or_logged(project: Path, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, every_kind())
    hooks.script("/discord/", "500", "500", "500", "500")
    assert notify(project, "-v", "--since", "2025-02-20") == 0
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    for path in project.rglob("*"):
        if path.is_file() and ".venv" not in path.parts and path.stat().st_size < 50_000_000:
            assert SECRET.encode() not in path.read_bytes(), path


def test_missing_or_unsafe_webhook_urls_are_reported_and_never_fail(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, every_kind()[:2])
    monkeypatch.delenv("HOOK_SLACK", raising=False)
    monkeypatch.setenv("HOOK_TEAMS", f"http://hooks.example/{SECRET}")
    assert notify(project) == 0
    captured = capsys.readouterr()
    assert "$HOOK_SLACK (it is not set)" in captured.err and "$HOOK_TEAMS (it is not an https:// URL)" in captured.err
    assert SECRET not in captured.out + captured.err
    assert all(not t.messages for t in ledger(project).targets.values())


@pytest.mark.parametrize(("target", "message"), [
    ({"name": "a", "kind": "slack", "url_env": "X", "url": "https://hooks.slack.com/services/T/B/x"}, "name that in url_env"),
    ({"name": "a", "kind": "pager", "url_env": "X"}, "notify.targets.0.kind"),
    ({"name": "a", "kind": "json", "url_env": "X", "learn_urls": ["https://example.com/x"]}, "learn.microsoft.com"),
    ({"name": "a", "kind": "json", "url_env": "lower-case-$"}, "notify.targets.0.url_env"),
])
def test_bad_targets_are_one_line_errors(project: Path, target: dict[str, Any], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, [target])
    assert notify(project) == 2
    captured = capsys.readouterr()
    assert message in captured.out + captured.err and "hooks.slack.com" not in captured.out + captured.err


def test_repeated_target_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unique"):
        Settings.model_validate({"notify": {"targets": [{"name": "a", "kind": "json", "url_env": "X"}] * 2}})


# --- the workflow and the README ---------------------------------------------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"
WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "daily.yml"


def notifications_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("\n## Notifications\n") : text.index("\n## Benchmarks\n")]


def test_the_workflow_notifies_after_the_deploy_with_secrets_passed_as_env() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    job = jobs["notify"]
    assert job["needs"] == "deploy" and job["permissions"] == {"contents": "write"}
    assert job["environment"] == "daily-digest"
    post = next(step for step in job["steps"] if "digest notify" in step.get("run", ""))
    assert post["env"] and all(value == f"${{{{ secrets.{name} }}}}" for name, value in post["env"].items())
    assert all("secrets." not in step.get("run", "") for step in job["steps"])
    commit = next(step for step in job["steps"] if "git push" in step.get("run", ""))
    assert commit["if"] == "always()" and "git add data/notify.json" in commit["run"]
    # every webhook variable the README's example names is passed by the workflow
    example = yaml.safe_load(re.search(r"```yaml\n# digest.yml\n(.*?)```", notifications_section(), re.S).group(1))
    settings = Settings.model_validate(example)
    assert {target.url_env for target in settings.notify.targets} == set(post["env"])
    assert {target.kind for target in settings.notify.targets} == set(KINDS)


def test_the_readme_samples_are_what_a_dry_run_prints(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, [
        {"name": "ai-slack", "kind": "slack", "url_env": "A", "language": "en", "max_items": 4},
        {"name": "ai-teams", "kind": "teams", "url_env": "B", "language": "ja", "max_items": 3},
        {"name": "ai-discord", "kind": "discord", "url_env": "C", "language": "en", "max_items": 4},
    ])
    assert main(["notify", "--root", str(project), "--dry-run", "--since", "2025-02-26",
                 "--site-url", "https://contoso.github.io/docs-digest/"]) == 0
    printed = capsys.readouterr().out
    samples = re.findall(r"```text\n(── (?:slack|teams|discord) .*?)```", notifications_section(), re.S)
    assert len(samples) == 3
    for sample in samples:
        assert sample in printed


def test_a_damaged_ledger_is_a_one_line_error_and_a_damaged_record_is_left_out(
    project: Path, hooks: WebhookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, every_kind()[:1])
    (project / "data" / LEDGER_FILE).write_text("{not json", encoding="utf-8")
    assert notify(project) == 2
    assert "invalid notification ledger" in capsys.readouterr().err
    (project / "data" / LEDGER_FILE).unlink()
    (project / "data" / "digests" / "2025-02-28" / "broken.json").write_text("[]", encoding="utf-8")
    assert notify(project) == 0
    assert "left out of the notifications" in capsys.readouterr().err
    assert [day_of(r) for r in hooks.requests] == ["2025-02-28"]


def test_warnings_become_annotations_on_github_actions_without_the_url(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, every_kind()[:1])
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("HOOK_SLACK", "http://127.0.0.1:9/%0Aoops")  # nothing listens on port 9
    assert notify(project) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("::warning")]
    assert lines and all("%0Aoops" not in line for line in lines)
    assert "tried again on the next run" in lines[0]


def test_an_annotation_is_one_escaped_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from digest.notify.run import warn

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    warn("50% sent\n::error::injected")
    assert capsys.readouterr().out == "::warning title=digest notify::50%25 sent%0A::error::injected\n"
