"""The pages' minifier: indentation and the line breaks before block tags go; what shows on the screen stays."""

from __future__ import annotations

from bs4 import BeautifulSoup

from digest.site.htmlmin import minify


def test_a_line_break_before_a_block_tag_goes_and_one_between_inline_elements_stays() -> None:
    page = ("<ul>\n  <li><a href=\"#a\">a</a>\n  <a href=\"#b\">b</a></li>\n  <li>c</li>\n</ul>\n"
            "<table>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</table>\n<p>x <span>y</span>\n<time>z</time></p>\n")
    assert minify(page) == ('<ul><li><a href=#a>a</a>\n<a href=#b>b</a></li><li>c</li></ul><table><tr><td>1</td>'
                            "<td>2</td></tr></table><p>x <span>y</span>\n<time>z</time></p>\n")


def test_pre_and_script_keep_every_byte() -> None:
    block = '<pre class="json"><code>{\n  "a": 1\n}\n</code></pre>'
    script = "<script>\n  var a = 1;\n</script>"
    # (the line breaks beside a kept element stay: it is left out of the passes whole)
    assert minify(f"<div>\n  {block}\n<p>\n{script}\n</p>\n</div>") == f"<div>\n{block}\n<p>\n{script}\n</p></div>"


def test_a_value_loses_its_quotes_only_where_the_html_syntax_lets_it_and_the_document_stays_the_same() -> None:
    page = ('<p class="digest-x" data-lines="3-9"><a href="../../2025-01-02-speech/#file-3" title="a b">x</a> '
            '<a href="?q=1" class="" title="x>y" lang="en">y</a><img src="../logo.svg"/><img alt="z" src="a.svg" />'
            "<a href='single'>s</a> text with class=\"kept\" and a=\"b\" in it <!-- c=\"d\" --></p>")
    small = minify(page)
    assert small == ('<p class=digest-x data-lines=3-9><a href=../../2025-01-02-speech/#file-3 title="a b">x</a> '
                     '<a href="?q=1" class="" title="x>y" lang=en>y</a><img src="../logo.svg"/><img alt=z src=a.svg />'
                     "<a href='single'>s</a> text with class=\"kept\" and a=\"b\" in it <!-- c=\"d\" --></p>")
    parsed = [BeautifulSoup(text, "html.parser") for text in (page, small)]
    assert [(tag.name, tag.attrs) for tag in parsed[0].find_all(True)] == [(tag.name, tag.attrs) for tag in parsed[1].find_all(True)]
    assert parsed[0].get_text() == parsed[1].get_text()
