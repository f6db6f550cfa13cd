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

  function render(data) {
    var old = box.querySelector("ol.hits");
    if (old) old.remove();
    box.querySelectorAll("p.suggest").forEach(function (p) { p.remove(); });
    if (!data.hits.length) {
      status.textContent = data.message ? data.message[lang] : box.getAttribute("data-none");
    } else {
      status.textContent = lang === "zh" ? "找到 " + data.total + " 项职业资格" : (data.total === 1 ? "One qualification matches" : data.total + " qualifications match");
    }
    var ol = document.createElement("ol");
    ol.className = "hits";
    data.hits.forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "/entries/" + h.id + (cq ? "?" + cq : "");
      var code = document.createElement("span"); code.className = "code"; code.textContent = h.code;
      var name = document.createElement("span"); name.className = "name";
      var mainField = lang === "zh" ? "name.zh" : "name.en", altField = lang === "zh" ? "name.en" : "name.zh";
      name.appendChild(mark(h.name[lang], spansFor(h, mainField)));
      var alt = document.createElement("span"); alt.className = "alt";
      alt.appendChild(mark(h.name[lang === "zh" ? "en" : "zh"], spansFor(h, altField)));
      a.appendChild(code); a.appendChild(document.createTextNode(" ")); a.appendChild(name); a.appendChild(alt);
      li.appendChild(a); ol.appendChild(li);
    });
    box.appendChild(ol);
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
