// The search page (templates/pages/search.md.j2): Pagefind's index of the page's language (digest/search.py).
// Pagefind loads only the index chunks and result fragments a query needs. Results are built from text nodes:
// the excerpt's <mark> elements are the only markup kept, and its text never becomes HTML.
const form = document.querySelector("form.digest-search");
const input = form.querySelector("input[name=q]");
const status = document.querySelector(".digest-search__status");
const list = document.querySelector(".digest-search__results");
const bundle = new URL(form.dataset.bundle, document.baseURI);
const root = new URL(form.dataset.root, document.baseURI);
let pagefind = null;

// the language's index is a few bundles (digest/search.py: one per span of years, one for the other pages),
// listed in bundles.json: the first is loaded, the others merged into it
async function engine() {
  if (!pagefind) {
    const manifest = await (await fetch(new URL("bundles.json", bundle))).json();
    const [first, ...others] = manifest.bundles.map((name) => new URL(name + "/", bundle));
    const loaded = await import(new URL("pagefind.js", first).href);
    // the index holds addresses from the site's root, which may sit below the host's
    await loaded.options({ baseUrl: root.pathname, excerptLength: 30 });
    for (const other of others) await loaded.mergeIndex(other.href, { baseUrl: root.pathname });
    pagefind = loaded;
  }
  return pagefind;
}

function excerpt(html) {
  const paragraph = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.appendChild(mark);
    } else {
      paragraph.appendChild(document.createTextNode(node.textContent));
    }
  }
  return paragraph;
}

function say(template, query, count) {
  status.textContent = form.dataset[template].replace("{query}", query).replace("{count}", String(count));
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  let found;
  try {
    found = await (await engine()).search(query);
  } catch (error) {
    say("failed", query, 0);
    return;
  }
  if (!found.results.length) { say("none", query, 0); return; }
  const shown = await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
  for (const data of shown) {
    const item = document.createElement("li");
    item.className = "digest-search__result";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    item.append(link, excerpt(data.excerpt || ""));
    list.appendChild(item);
  }
  // last: the status says the results are there (bench/search_probe.py waits for it)
  say(found.results.length === 1 ? "countOne" : "countOther", query, found.results.length);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  history.replaceState(null, "", "?q=" + encodeURIComponent(query));
  run(query);
});
const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial) run(initial);
