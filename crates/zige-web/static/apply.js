// The qualification picker of the application form: as the person types,
// the catalogue's own search (/api/v1/search) offers entries, best match
// first, in an accessible listbox (ARIA combobox). Without this script
// the field is a plain text field with a list of every entry.
(function () {
  "use strict";
  var input = document.querySelector("input[data-picker]");
  if (!input) return;
  var box = input.closest(".picker");
  var list = document.getElementById("entry-options");
  var status = document.getElementById("entry-status");
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var timer = null, seq = 0, active = -1, options = [];

  input.removeAttribute("list");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "entry-options");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(index) {
    options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(li) {
    input.value = li.getAttribute("data-code");
    status.textContent = li.textContent;
    close();
  }

  function show(hits) {
    list.textContent = "";
    options = hits.map(function (hit, i) {
      var li = document.createElement("li");
      li.id = "entry-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-code", hit.code);
      var code = document.createElement("strong");
      code.textContent = hit.code;
      li.appendChild(code);
      li.appendChild(document.createTextNode(" · " + (zh ? hit.name.zh : hit.name.en)));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
      list.appendChild(li);
      return li;
    });
    active = -1;
    if (!options.length) {
      status.textContent = box.getAttribute("data-none");
      close();
      return;
    }
    status.textContent = options.length === 1 ? box.getAttribute("data-count-one")
      : box.getAttribute("data-count-many").replace(/\d+/, String(options.length));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function lookUp() {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) { close(); return; }
    fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
      .then(function (data) { if (mine === seq) show(data.hits || []); })
      .catch(function () { /* the field still takes a code as typed */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
  input.addEventListener("keydown", function (e) {
    var open = !list.hidden && options.length > 0;
    if (e.key === "ArrowDown" && open) { e.preventDefault(); mark((active + 1) % options.length); }
    else if (e.key === "ArrowUp" && open) { e.preventDefault(); mark(active <= 0 ? options.length - 1 : active - 1); }
    else if (e.key === "Enter" && open && active >= 0) { e.preventDefault(); choose(options[active]); }
    else if (e.key === "Escape" && open) { e.preventDefault(); close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
