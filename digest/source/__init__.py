"""Source stage: the docs repository's git history (one git runner), cut into days; files of a commit; state."""
