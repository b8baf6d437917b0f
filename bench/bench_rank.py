"""rank_facts alone (issue 11): the ranked facts of every gold-dev and tune-half record, timed with a cold cache.

The records are classified once (digest.evaluate.predict._predict, offline); then rank_facts runs over all of them,
`--repeat` times, the rank's memo of plain text cleared before each pass so every pass pays for it. Compare two
versions of the code in one run, as a ratio (the machine is noisy): run this file once with each on PYTHONPATH.

    python bench/bench_rank.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import digest.summarize.rank as rank
    from digest.classify.areas import load_area_config
    from digest.evaluate.corpus import load_records, select_part
    from digest.evaluate.predict import _predict
    from digest.summarize import OfflineSummarizer

    records = load_records(CORPUS / "gold-dev.jsonl") + select_part(load_records(CORPUS / "gold-dev-2.jsonl"), "tune")
    changes = [p.change for p in _predict(records, load_area_config(PROJECT / "config" / "areas.yml"), OfflineSummarizer(str(PROJECT / "templates")))]
    memo = getattr(getattr(rank, "facts", None), "plain", None)
    best = float("inf")
    for _ in range(args.repeat):
        if hasattr(memo, "cache_clear"):
            memo.cache_clear()
        start = time.perf_counter()
        for change in changes:
            rank.rank_facts(change)
        best = min(best, time.perf_counter() - start)
    print(f"{rank.__file__}: rank_facts over {len(changes)} changes, best of {args.repeat}: {best * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
