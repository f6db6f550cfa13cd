// On a phone the site's menu folds behind a "Menu" button, so that a page
// starts with its content. Without this script the menu is always shown.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu || !window.matchMedia) return;
  var phone = window.matchMedia("(max-width: 48rem)");
  function fold(folded) {
    menu.classList.toggle("folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
  }
  function follow() {
    button.hidden = !phone.matches;
    fold(phone.matches);
  }
  button.addEventListener("click", function () {
    fold(button.getAttribute("aria-expanded") === "true");
  });
  if (phone.addEventListener) phone.addEventListener("change", follow);
  follow();
})();

// Results as you type on the search page. Without this script the form
// submits to /search and the server renders the same results.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("results");
  var status = document.getElementById("results-status");
  var lang = box.getAttribute("data-lang");
  // Another edition than the one in force, when the page shows one.
  var catalog = box.getAttribute("data-catalog") || "";
  var cq = catalog ? "catalog=" + encodeURIComponent(catalog) : "";
  var timer = null, seq = 0;

  function mark(text, spans) {
    var out = document.createDocumentFragment(), chars = Array.from(text), at = 0;
    (spans || []).forEach(function (s) {
      if (s[0] > at) out.appendChild(document.createTextNode(chars.slice(at, s[0]).join("")));
      var m = document.createElement("mark");
      m.textContent = chars.slice(s[0], s[1]).join("");
      out.appendChild(m);
      at = s[1];
    });
    if (at < chars.length) out.appendChild(document.createTextNode(chars.slice(at).join("")));
    return out;
  }

  function spansFor(hit, field) {
    var m = (hit.matched || []).filter(function (x) { return x.field === field; })[0];
    return m ? m.spans : [];
  }

  // A name as shown (the Chinese display name tells entries apart), with
  // the spans the query matched in it.
  function shown(h, l) {
    var display = h.display || h.name;
    if (l === "en") return mark(display.en, spansFor(h, "name.en"));
    var field = display.zh !== h.name.zh ? "name.display_zh" : "name.zh";
    return mark(display.zh, spansFor(h, field));
  }

  function list(hits, className, start) {
    var ol = document.createElement("ol");
    ol.className = className;
    ol.start = start;
    hits.forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "/entries/" + h.id + (cq ? "?" + cq : "");
      var code = document.createElement("span"); code.className = "code"; code.textContent = h.code;
      var name = document.createElement("span"); name.className = "name";
      name.appendChild(shown(h, lang));
      var alt = document.createElement("span"); alt.className = "alt";
      alt.appendChild(shown(h, lang === "zh" ? "en" : "zh"));
      a.appendChild(code); a.appendChild(document.createTextNode(" ")); a.appendChild(name); a.appendChild(alt);
      li.appendChild(a); ol.appendChild(li);
    });
    return ol;
  }

  function text(tag, className, content) {
    var el = document.createElement(tag); el.className = className; el.textContent = content;
    return el;
  }

  function render(data) {
    box.querySelectorAll("ol.hits, .related-title, .related-intro, nav.pager").forEach(function (el) { el.remove(); });
    box.querySelectorAll("p.suggest").forEach(function (p) { p.remove(); });
    var matches = data.hits.filter(function (h) { return !h.related; });
    var related = data.hits.filter(function (h) { return h.related; });
    var count = data.matches === undefined ? data.total : data.matches;
    if (!data.hits.length) {
      status.textContent = data.message ? data.message[lang] : box.getAttribute("data-none");
    } else {
      var found = lang === "zh" ? "找到 " + count + " 项职业资格" : (count === 1 ? "One qualification matches" : count + " qualifications match");
      status.textContent = count === data.total ? found : box.getAttribute("data-status-related").replace("%found%", found).replace("%related%", data.total - count);
    }
    if (matches.length) box.appendChild(list(matches, "hits", 1));
    if (related.length) {
      box.appendChild(text("h2", "related-title", box.getAttribute("data-related")));
      box.appendChild(text("p", "related-intro", box.getAttribute("data-related-intro")));
      box.appendChild(list(related, "hits related", matches.length + 1));
    }
    if (data.total > data.hits.length) {
      // The rest is on the server's pages.
      var nav = document.createElement("nav"); nav.className = "pager";
      nav.setAttribute("aria-label", box.getAttribute("data-pager-label"));
      nav.appendChild(text("p", "pager-showing", box.getAttribute("data-showing").replace("%from%", 1).replace("%to%", data.hits.length).replace("%total%", data.total)));
      var next = text("a", "pager-next", box.getAttribute("data-next") + " →");
      next.href = "/search?q=" + encodeURIComponent(data.query) + (cq ? "&" + cq : "") + "&page=2";
      next.rel = "next";
      nav.appendChild(next); box.appendChild(nav);
    }
    (data.suggestions || []).forEach(function (s) {
      var p = document.createElement("p"); p.className = "suggest";
      var a = document.createElement("a"); a.href = "/search?q=" + encodeURIComponent(s) + (cq ? "&" + cq : ""); a.textContent = s;
      p.appendChild(document.createTextNode(box.getAttribute("data-suggest") + ": ")); p.appendChild(a);
      box.appendChild(p);
    });
  }

  // The language switch shows this very page in the other language: after a
  // live search that is the search's address, not the one first loaded.
  function followInLanguageSwitch(url) {
    if (history.replaceState) history.replaceState(null, "", url);
    var other = document.querySelector("a.lang");
    if (!other) return;
    other.href = url + (url.indexOf("?") < 0 ? "?" : "&") + "lang=" + other.getAttribute("hreflang");
    var alternate = document.querySelector("link[rel=alternate][hreflang]");
    if (alternate) alternate.href = other.href;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { seq++; render({ hits: [], total: 0, suggestions: [] }); status.textContent = ""; followInLanguageSwitch(cq ? "/?" + cq : "/"); return; }
      fetch("/api/v1/search?limit=20&q=" + encodeURIComponent(q) + (cq ? "&" + cq : ""))
        .then(function (r) { return r.json(); })
        .then(function (d) { if (mine === seq) render(d); })
        .catch(function () {});
      followInLanguageSwitch("/search?q=" + encodeURIComponent(q) + (cq ? "&" + cq : ""));
    }, 120);
  });
})();

// The browse page's filters: behind a "Filter" control on phones, open on
// wide screens (the stylesheet shows them there even without this script).
(function () {
  "use strict";
  var panel = document.querySelector("details[data-wide-open]");
  if (!panel || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48.01rem)");
  function follow() { panel.open = wide.matches; }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();

/* --- decisions: the Print button (decide) --- */
Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
