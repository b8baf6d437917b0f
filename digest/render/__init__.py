"""Render stage: durable records -> Markdown pages per language (Jinja2), and the diffs stored once per digest."""
