"""Notifications: the day's breaking changes and new features pushed to chat (Slack, Teams, Discord, JSON).

`digest notify` (digest/notify/run.py) reads the records under data/digests/, picks per target the files its
filter watches, builds one message per day in the target's kind and language within the kind's limits
(messages.py), posts it with retries (post.py) and records what was sent in data/notify.json (ledger.py).
This package's __init__ imports nothing, so the settings schema (settings.py) loads without httpx.
"""
