"""The fixture range run offline, and a digest of everything it writes (records and rendered Markdown).

The golden file `tests/golden/fixture-range.json` holds one SHA-256 per file the run writes under
`data/` and `site/` (gzipped files by their content; posts without their render key, which changes
with the code alone). A change that alters what users get shows as a
list of the files that differ. When an output changes on purpose, write the golden anew and say so in
the commit: `python -m tests.support.golden --write`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path

from digest.cli import main
from digest.project import copy_project

PROJECT = Path(__file__).resolve().parents[2]
BUNDLE = PROJECT.parent / "shared" / "fixtures" / "azure-ai-docs-sample.bundle"
GOLDEN = PROJECT / "tests" / "golden" / "fixture-range.json"
RANGE = ("--since", "2025-02-03", "--until", "2025-02-28")
OUTPUT_FOLDERS = ("data", "site")


def run_fixture_range(root: Path) -> Path:
    """A copy of the project at `root` with the fixture range digested and rendered (offline, no site build)."""
    project = copy_project(PROJECT, root)
    status = main(["run", "--root", str(project), "--repo", str(BUNDLE), *RANGE, "--summarizer", "offline", "--no-build"])
    if status != 0:
        raise RuntimeError(f"digest run exited with {status}")
    return project


# a post's front matter names the digest of the code and templates that rendered it (so a new version of
# either renders every post again): the one field that changes with the code alone, left out of the digest
RENDER_KEY = re.compile(rb'^  render: "[0-9a-f]+"$', re.MULTILINE)


def file_digest(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)  # the content, not the gzip header's time stamp
    if path.suffix == ".md":
        data = RENDER_KEY.sub(b'  render: "*"', data, count=1)
    # records name the source repository by its absolute path, which depends on where the checkout lives
    data = data.replace(json.dumps(str(BUNDLE)).encode(), b'"<bundle>"')
    return hashlib.sha256(data).hexdigest()


def output_digests(project: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file the run wrote under data/ and site/."""
    return {
        path.relative_to(project).as_posix(): file_digest(path)
        for folder in OUTPUT_FOLDERS
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def differences(expected: dict[str, str], got: dict[str, str]) -> list[str]:
    """One line per file that is missing, new or different."""
    lines = [f"missing: {name}" for name in sorted(set(expected) - set(got))]
    lines += [f"new: {name}" for name in sorted(set(got) - set(expected))]
    lines += [f"differs: {name}" for name in sorted(set(expected) & set(got)) if expected[name] != got[name]]
    return lines


def read_golden() -> dict[str, str]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def write_golden(digests: dict[str, str]) -> None:
    GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the golden file from this code's output")
    parser.add_argument("--keep", type=Path, help="run into this folder (to inspect the output) instead of a temporary one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        project = run_fixture_range(args.keep or Path(scratch) / "project")
        digests = output_digests(project)
    if args.write:
        write_golden(digests)
        print(f"wrote {len(digests)} digests to {GOLDEN}")
        return 0
    changed = differences(read_golden(), digests)
    print("\n".join(changed) or "identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
