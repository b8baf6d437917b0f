// A digest's diffs live once for both languages in diffs/<slug>.txt.gz (digest/render/difftext.py), and so do
// its files' "more changes" details. When a reader opens a file's diff (details[data-lines]) or its details
// (details[data-items]), this fetches that file (once per page), unzips it and shows the section's lines.
// Diff and details text is untrusted: it only ever becomes text nodes (textContent), never HTML.
(function () {
  "use strict";
  var CLASSES = { "+": "d-add", "-": "d-del", "@": "d-hunk", "\\": "d-note" };
  var loaded = {};

  function unzip(buffer) {
    var bytes = new Uint8Array(buffer);
    // a server that sends the file with Content-Encoding: gzip has unzipped it already
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || typeof DecompressionStream === "undefined") {
      return Promise.resolve(new TextDecoder("utf-8").decode(bytes));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  function lines(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.arrayBuffer();
      }).then(unzip).then(function (text) { return text.split("\n"); });
    }
    return loaded[url];
  }

  function show(details, all) {
    var range = (details.getAttribute("data-lines") || "").split("-");
    var first = parseInt(range[0], 10), last = parseInt(range[1], 10);
    if (!(first >= 1 && last >= first)) return;
    var pre = document.createElement("pre");
    pre.className = "diff";
    var code = document.createElement("code");
    all.slice(first - 1, last).forEach(function (line, index) {
      if (index) code.appendChild(document.createTextNode("\n"));
      var css = CLASSES[line.charAt(0)];
      if (css) {
        var span = document.createElement("span");
        span.className = css;
        span.textContent = line;
        code.appendChild(span);
      } else {
        code.appendChild(document.createTextNode(line));
      }
    });
    pre.appendChild(code);
    // before a cut diff's note (and its link to the whole diff)
    details.insertBefore(pre, details.querySelector(".diff-cut"));
  }

  // a details item is text with code spans (`x`, ``x``): the spans become <code>, all of it text nodes
  var CODE_SPAN = /(`+)([\s\S]+?)\1/g;

  function item(text) {
    var li = document.createElement("li");
    var at = 0, match;
    CODE_SPAN.lastIndex = 0;
    while ((match = CODE_SPAN.exec(text)) !== null) {
      if (match.index > at) li.appendChild(document.createTextNode(text.slice(at, match.index)));
      var code = document.createElement("code");
      code.textContent = match[2].trim() ? match[2].replace(/^ (.*) $/, "$1") : match[2];
      li.appendChild(code);
      at = match.index + match[0].length;
    }
    if (at < text.length) li.appendChild(document.createTextNode(text.slice(at)));
    return li;
  }

  function list(details, all) {
    var range = (details.getAttribute("data-items") || "").split("-");
    var first = parseInt(range[0], 10), last = parseInt(range[1], 10);
    if (!(first >= 1 && last >= first)) return;
    var ul = document.createElement("ul");
    all.slice(first - 1, last).forEach(function (line) { ul.appendChild(item(line)); });
    details.appendChild(ul);
  }

  function open(details) {
    if (details.getAttribute("data-state")) return;
    details.setAttribute("data-state", "loading");
    var source = document.querySelector("[data-diffs]");
    if (!source) return;
    var url = new URL(source.getAttribute("data-diffs"), document.baseURI).href;
    lines(url).then(function (all) {
      if (details.hasAttribute("data-items")) list(details, all); else show(details, all);
      details.setAttribute("data-state", "shown");
    }, function () {
      // the section keeps its link to the diff on GitHub; a later opening tries again
      delete loaded[url];
      details.removeAttribute("data-state");
    });
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.matches && details.matches("details[data-lines], details[data-items]")) open(details);
  }, true);
  document.querySelectorAll("details[data-lines][open], details[data-items][open]").forEach(open);
})();
