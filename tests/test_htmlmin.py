"""The pages' minifier: indentation and the line breaks before block tags go; what shows on the screen stays."""

from __future__ import annotations

from digest.site.htmlmin import minify


def test_a_line_break_before_a_block_tag_goes_and_one_between_inline_elements_stays() -> None:
    page = ("<ul>\n  <li><a href=\"#a\">a</a>\n  <a href=\"#b\">b</a></li>\n  <li>c</li>\n</ul>\n"
            "<table>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</table>\n<p>x <span>y</span>\n<time>z</time></p>\n")
    assert minify(page) == ('<ul><li><a href="#a">a</a>\n<a href="#b">b</a></li><li>c</li></ul><table><tr><td>1</td>'
                            "<td>2</td></tr></table><p>x <span>y</span>\n<time>z</time></p>\n")


def test_pre_and_script_keep_every_byte() -> None:
    block = '<pre class="json"><code>{\n  "a": 1\n}\n</code></pre>'
    script = "<script>\n  var a = 1;\n</script>"
    # (the line breaks beside a kept element stay: it is left out of the passes whole)
    assert minify(f"<div>\n  {block}\n<p>\n{script}\n</p>\n</div>") == f"<div>\n{block}\n<p>\n{script}\n</p></div>"
