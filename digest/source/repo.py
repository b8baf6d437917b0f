"""Source stage: the tracked branch's first-parent history, cut into calendar days."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import git

from digest.errors import DigestError
from digest.models import Commit, DayRange, clean_text

log = logging.getLogger(__name__)

# git's empty tree: the base of a range that starts at the first commit
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
PR_PATTERNS = (re.compile(r"Merge pull request #(\d+)"), re.compile(r"\(#(\d+)\)\s*$"))

SourceKind = Literal["url", "bundle", "path"]


@dataclass(frozen=True)
class SourceRepo:
    """A local git repository to read history from, and the ref that is tracked."""

    repo: git.Repo
    ref: str
    kind: SourceKind

    def git_bytes(self, *args: str, stdin: bytes | None = None) -> bytes:
        """Run git on this repository and return its raw stdout (no decoding, final newline kept).

        The one git runner of the project (GitPython only clones and fetches); a failure is a DigestError
        that names the command and git's last line of error.
        """
        command = ["git", "--git-dir", str(self.repo.git_dir), "-c", "core.quotepath=off", *args]
        result = subprocess.run(command, input=stdin, capture_output=True, check=False)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise DigestError(f"git {args[0]} failed: {(message or ['no message'])[-1]}")
        return result.stdout


@dataclass(frozen=True)
class ChainCommit:
    sha: str
    parent: str | None
    committed_at: dt.datetime
    subject: str


def classify_spec(spec: str) -> SourceKind:
    if "://" in spec or re.match(r"^[\w.-]+@[\w.-]+:", spec):
        return "url"
    path = Path(spec).expanduser()
    if path.is_file():
        return "bundle"
    if path.is_dir():
        return "path"
    raise DigestError(f"repository not found: {spec} (not a URL, a directory or a bundle file)")


def clone_dir_for(spec: str, work_dir: Path) -> Path:
    """A stable clone location per source, readable by a person."""
    name = Path(urlparse(spec).path if "://" in spec else spec).name.removesuffix(".git")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name) or "repo"
    digest = hashlib.sha256(spec.encode()).hexdigest()[:10]
    return work_dir / "repos" / f"{name}-{digest}"


def _git_error_line(error: git.GitCommandError) -> str:
    stderr = (error.stderr or "").strip().strip("'").strip()
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    interesting = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (interesting or lines or [str(error)])[-1].removeprefix("stderr: ").strip("' ")


def open_source(spec: str, branch: str, work_dir: Path) -> SourceRepo:
    """Clone (blobless) or fetch a URL or bundle; open a local repository as it is."""
    kind = classify_spec(spec)
    if kind == "path":
        try:
            repo = git.Repo(Path(spec).expanduser())
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
            raise DigestError(f"not a git repository: {spec}") from error
        return SourceRepo(repo, _resolve_local_ref(repo, branch, spec), kind)

    clone_dir = clone_dir_for(spec, work_dir)
    source_url = str(Path(spec).expanduser().resolve()) if kind == "bundle" else spec
    try:
        if (clone_dir / "HEAD").exists() or (clone_dir / ".git").exists():
            repo = git.Repo(clone_dir)
            log.info("fetching %s (%s)", spec, branch)
            repo.git.fetch(
                "--quiet", "--no-tags", *(_filter_args(kind)), source_url,
                f"+refs/heads/{branch}:refs/remotes/origin/{branch}",
            )
        else:
            log.info("cloning %s (%s) into %s", spec, branch, clone_dir)
            clone_dir.parent.mkdir(parents=True, exist_ok=True)
            tmp_dir = clone_dir.with_name(clone_dir.name + ".partial")
            if tmp_dir.exists():
                _remove_tree(tmp_dir)
            repo = git.Repo.clone_from(
                source_url,
                tmp_dir,
                multi_options=[
                    *_filter_args(kind),
                    "--no-checkout",
                    "--single-branch",
                    "--no-tags",
                    f"--branch={branch}",
                ],
                allow_unsafe_options=False,
            )
            repo.close()
            tmp_dir.rename(clone_dir)
            repo = git.Repo(clone_dir)
    except git.GitCommandError as error:
        line = _git_error_line(error)
        if "Remote branch" in line or "couldn't find remote ref" in line:
            raise DigestError(f"unknown branch {branch!r} in {spec}") from error
        raise DigestError(f"cannot read repository {spec}: {line}") from error
    ref = f"refs/remotes/origin/{branch}"
    if not _ref_exists(repo, ref):
        raise DigestError(f"unknown branch {branch!r} in {spec}")
    return SourceRepo(repo, ref, kind)


def _filter_args(kind: SourceKind) -> list[str]:
    # bundles cannot serve a partial clone; git would warn and ignore the filter
    return ["--filter=blob:none"] if kind == "url" else []


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


def _ref_exists(repo: git.Repo, ref: str) -> bool:
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
        return True
    except git.GitCommandError:
        return False


def _resolve_local_ref(repo: git.Repo, branch: str, spec: str) -> str:
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}", branch):
        if _ref_exists(repo, ref):
            return ref
    raise DigestError(f"unknown branch {branch!r} in {spec}")


def first_parent_chain(source: SourceRepo) -> list[ChainCommit]:
    """Every first-parent commit of the tracked ref, oldest first.

    One NUL-terminated entry per commit (-z), its fields on lines: `%s` is one
    line by definition and NUL cannot be in a commit message, so no byte of a
    subject can split or merge entries.
    """
    raw = source.git_bytes("log", "-z", "--first-parent", "--reverse", "--format=%H%n%P%n%cI%n%s", source.ref, "--")
    chain: list[ChainCommit] = []
    for entry in raw.split(b"\0"):
        if not entry.strip(b"\n"):
            continue
        sha, parents, committed, subject = (entry.split(b"\n", 3) + [b"", b"", b""])[:4]
        chain.append(
            ChainCommit(
                sha=sha.decode("ascii"),
                parent=parents.split()[0].decode("ascii") if parents.strip() else None,
                committed_at=dt.datetime.fromisoformat(committed.decode("ascii")),
                subject=clean_text(subject.decode("utf-8", errors="replace").strip()),
            )
        )
    return chain


def pull_request_number(subject: str) -> int | None:
    for pattern in PR_PATTERNS:
        match = pattern.search(subject)
        if match:
            return int(match.group(1))
    return None


def assign_days(chain: list[ChainCommit], tz: ZoneInfo, today: dt.date) -> list[tuple[ChainCommit, dt.date, bool]]:
    """The calendar day of each commit in `tz`, kept in chain order.

    A commit dated after `today` counts for today, and one dated before its
    predecessor counts on its predecessor's day, so each day is one
    contiguous stretch of the chain and no commit is lost. Such commits are
    flagged as adjusted.
    """
    assigned: list[tuple[ChainCommit, dt.date, bool]] = []
    previous_day: dt.date | None = None
    for commit in chain:
        day = commit.committed_at.astimezone(tz).date()
        adjusted = False
        if day > today:
            day, adjusted = today, True
        if previous_day is not None and day < previous_day:
            day, adjusted = previous_day, True
        assigned.append((commit, day, adjusted))
        previous_day = day
    return assigned


def day_ranges(
    chain: list[ChainCommit],
    tz: ZoneInfo,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    after_sha: str | None = None,
) -> list[DayRange]:
    """One DayRange per day with commits, from the last commit before the day to its last commit.

    With `after_sha`, only the days holding commits after that commit (the
    last one processed) are returned, each still computed whole.
    """
    assigned = assign_days(chain, tz, today)
    first_new_day: dt.date | None = None
    if after_sha is not None:
        index = next((i for i, (c, _, _) in enumerate(assigned) if c.sha == after_sha), None)
        if index is None:
            raise DigestError(
                f"the last processed commit {after_sha[:12]} is no longer on the branch; "
                "rerun with --since to choose the days"
            )
        if index + 1 >= len(assigned):
            return []
        first_new_day = assigned[index + 1][1]

    groups: dict[dt.date, list[tuple[ChainCommit, bool]]] = {}
    for commit, day, adjusted in assigned:
        if since and day < since or until and day > until:
            continue
        if first_new_day and day < first_new_day:
            continue
        groups.setdefault(day, []).append((commit, adjusted))

    ranges = []
    for day, members in groups.items():
        first = members[0][0]
        ranges.append(
            DayRange(
                day=day,
                base=first.parent or EMPTY_TREE,
                head=members[-1][0].sha,
                commits=[
                    Commit(
                        sha=commit.sha,
                        subject=commit.subject,
                        committed_at=commit.committed_at,
                        pr=pull_request_number(commit.subject),
                        date_adjusted=adjusted,
                    )
                    for commit, adjusted in members
                ],
            )
        )
    return ranges


RAW_ENTRY = re.compile(rb"^\n?:\d{6} \d{6} [0-9a-f]+ [0-9a-f]+ [A-Z]\d*$")
COMMIT_ENTRY = re.compile(rb"^\n?([0-9a-f]{40}|[0-9a-f]{64})$")


def paths_by_commit(source: SourceRepo, day: DayRange) -> dict[str, list[str]]:
    """For each path touched on the day, the first-parent commits that touched it, oldest first.

    Read from `--raw -z`: each path is the one NUL-terminated field after its
    raw line, taken as it is (no quoting, no guess at where a name ends).
    """
    if day.base == EMPTY_TREE:
        revisions = [day.head]
    else:
        revisions = [f"{day.base}..{day.head}"]
    raw = source.git_bytes(
        "log", "-z", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "--no-abbrev",
        "--no-renames", "--format=%H", *revisions, "--",
    )
    touched: dict[str, list[str]] = {}
    fields = raw.split(b"\0")
    sha: str | None = None
    index = 0
    while index < len(fields):
        field = fields[index]
        if RAW_ENTRY.match(field) and index + 1 < len(fields):
            if sha is not None:
                touched.setdefault(decode_path(fields[index + 1]), []).append(sha)
            index += 2
            continue
        if match := COMMIT_ENTRY.match(field):
            sha = match.group(1).decode("ascii")
        index += 1
    return touched


def decode_path(raw: bytes) -> str:
    """A path as git stores it (bytes), as text for the records (cleaned like every untrusted string)."""
    return clean_text(raw.decode("utf-8", errors="replace"))


