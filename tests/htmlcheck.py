"""Checks on a built site: nothing from untrusted text became live HTML or script."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


def assert_inert(public: Path, marker: str = "alert") -> int:
    """No script mentioning `marker`, no event-handler attribute, no javascript: URL, no <img src=x>.

    Returns the number of pages checked.
    """
    pages = list(public.rglob("*.html"))
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert marker not in script.get_text(), page
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (page, element.name, name)
                values = value if isinstance(value, list) else [value]
                assert not any(str(v).strip().lower().startswith("javascript:") for v in values), (page, name, value)
        assert not soup.find("img", attrs={"src": "x"}), page
    return len(pages)
