/* The form layout builder: officials arrange sections and indicator rows without writing the layout
   by hand. It edits the same JSON the text editor produces ({sections: [{title, title_en, rows:
   [{element, label, label_en}]}]}) and posts it to the same page, so one service checks and saves
   both. Every key a section or row already has is kept as it is. Keyboard first: every move has a
   button (Lên/Xuống cross section boundaries); drag and drop is an extra. No library. */
(function () {
  "use strict";
  var root = document.getElementById("layout-builder");
  var editor = document.getElementById("layout-editor");
  if (!root || !editor) return;

  function readJson(id, fallback) {
    var node = document.getElementById(id);
    if (!node) return fallback;
    try { return JSON.parse(node.textContent); } catch (e) { return fallback; }
  }
  var T = readJson("builder-texts", {});
  var catalogue = readJson("builder-elements", []);
  var byCode = {};
  catalogue.forEach(function (e) { byCode[e.code] = e; });
  var form = document.getElementById("builder-form");
  var hidden = document.getElementById("builder-layout");
  var status = document.getElementById("builder-status");
  var errorBox = document.getElementById("builder-error");
  var PICKER_LIMIT = 60;

  /* --- state -------------------------------------------------------------------------------- */
  function isObject(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function copy(obj) {
    var out = {};
    Object.keys(obj).forEach(function (k) { out[k] = obj[k]; });
    return out;
  }
  function normalise(raw) {
    var layout = isObject(raw) ? copy(raw) : {};
    var sections = Array.isArray(layout.sections) ? layout.sections : [];
    layout.sections = sections.filter(isObject).map(function (s) {
      var section = copy(s);
      section.title = typeof s.title === "string" ? s.title : "";
      section.title_en = typeof s.title_en === "string" ? s.title_en : "";
      section.rows = (Array.isArray(s.rows) ? s.rows : []).filter(isObject).map(function (r) {
        var row = copy(r);
        row.element = typeof r.element === "string" ? r.element : String(r.element || "");
        row.label = typeof r.label === "string" ? r.label : "";
        row.label_en = typeof r.label_en === "string" ? r.label_en : "";
        return row;
      });
      return section;
    });
    return layout;
  }
  var layout = normalise(readJson("builder-data", {}));
  var dirty = false;
  var picker = null; // {s: section index, query: ""} while the element picker is open
  var errors = {}; // "s:3" or "r:3:1" -> message, from the last check
  var focusKey = null;

  function fmt(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function used() {
    var codes = {};
    layout.sections.forEach(function (s) { s.rows.forEach(function (r) { codes[r.element] = true; }); });
    return codes;
  }
  function rowName(row) {
    var element = byCode[row.element];
    return row.label || (element ? element.name : row.element);
  }
  function sectionTitle(index) {
    return layout.sections[index].title || fmt(T.section, { n: index + 1 });
  }
  function announce(message) { status.textContent = message; }
  function changed(message) {
    dirty = true;
    errors = {};
    errorBox.hidden = true;
    render();
    announce(message ? message + " " + T.unsaved : T.unsaved);
  }

  /* --- moves -------------------------------------------------------------------------------- */
  function moveRow(s, r, toS, toR) {
    var row = layout.sections[s].rows.splice(r, 1)[0];
    layout.sections[toS].rows.splice(toR, 0, row);
    return row;
  }
  function rowUp(s, r) {
    if (r > 0) { moveRow(s, r, s, r - 1); return [s, r - 1]; }
    if (s > 0) { var to = layout.sections[s - 1].rows.length; moveRow(s, r, s - 1, to); return [s - 1, to]; }
    return null;
  }
  function rowDown(s, r) {
    if (r < layout.sections[s].rows.length - 1) { moveRow(s, r, s, r + 1); return [s, r + 1]; }
    if (s < layout.sections.length - 1) { moveRow(s, r, s + 1, 0); return [s + 1, 0]; }
    return null;
  }

  /* --- rendering ---------------------------------------------------------------------------- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "className") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function button(text, act, attrs) {
    var a = { type: "button", className: "btn small secondary", "data-act": act, text: text };
    Object.keys(attrs || {}).forEach(function (k) { a[k] = attrs[k]; });
    return el("button", a);
  }

  function columnsPreview(element) {
    if (!element) return null;
    var table = el("table", { className: "entry lb-cols" });
    var head = el("tr", { className: "col-head" });
    if (element.matrix) {
      head.appendChild(el("th", { scope: "col", text: "" }));
      element.matrix.cols.forEach(function (c) { head.appendChild(el("th", { scope: "col", className: "num", text: c })); });
      table.appendChild(head);
      element.matrix.rows.forEach(function (name) {
        var tr = el("tr", {}, [el("th", { scope: "row", className: "row-label", text: name })]);
        element.matrix.cols.forEach(function () { tr.appendChild(el("td", { className: "lb-cell" })); });
        table.appendChild(tr);
      });
    } else {
      element.columns.forEach(function (c) { head.appendChild(el("th", { scope: "col", className: "num", text: c })); });
      table.appendChild(head);
      var tr = el("tr");
      element.columns.forEach(function () { tr.appendChild(el("td", { className: "lb-cell" })); });
      table.appendChild(tr);
    }
    return el("div", { className: "table-wrap lb-cols-wrap", "aria-label": T.columns }, [table]);
  }

  function renderRow(s, r, row) {
    var element = byCode[row.element];
    var name = rowName(row);
    var key = "r:" + s + ":" + r;
    var error = errors[key];
    var info = element
      ? [element.unit ? T.unit + ": " + element.unit : "", element.combo, element.value_type].filter(Boolean).join(" · ")
      : "";
    var labels = el("details", { className: "lb-labels" }, [
      el("summary", { text: T.row_labels + (row.label || row.label_en ? ": " + [row.label, row.label_en].filter(Boolean).join(" / ") : "") }),
      el("div", { className: "field" }, [
        el("label", { "for": "lb-label-" + s + "-" + r, text: T.row_label }),
        el("input", { id: "lb-label-" + s + "-" + r, type: "text", value: row.label, "data-field": "label", "data-s": s, "data-r": r, placeholder: element ? element.name : "" }),
      ]),
      el("div", { className: "field" }, [
        el("label", { "for": "lb-label-en-" + s + "-" + r, text: T.row_label_en }),
        el("input", { id: "lb-label-en-" + s + "-" + r, type: "text", value: row.label_en, "data-field": "label_en", "data-s": s, "data-r": r, lang: "en" }),
      ]),
    ]);
    if (row.label || row.label_en) labels.open = true;
    var last = layout.sections.length - 1;
    var li = el("li", { className: "lb-row" + (error ? " lb-invalid" : ""), "data-s": s, "data-r": r, "data-code": row.element }, [
      el("span", { className: "lb-handle", title: T.drag, "aria-hidden": "true", text: "⠿" }),
      el("div", { className: "lb-row-main" }, [
        el("div", {}, [el("strong", { className: "lb-name", text: name }), " ", el("code", { text: row.element })]),
        info ? el("div", { className: "small muted", text: info }) : null,
        error ? el("p", { className: "errors lb-row-error", id: "lb-err-" + s + "-" + r, text: error }) : null,
        columnsPreview(element),
        labels,
      ]),
      el("div", { className: "lb-actions" }, [
        button("↑ " + T.row_up, "row-up", { "aria-label": fmt(T.row_up_label, { name: name }), "data-s": s, "data-r": r, "data-key": "up:" + row.element,
          disabled: s === 0 && r === 0 }),
        button("↓ " + T.row_down, "row-down", { "aria-label": fmt(T.row_down_label, { name: name }), "data-s": s, "data-r": r, "data-key": "down:" + row.element,
          disabled: s === last && r === layout.sections[s].rows.length - 1 }),
        button("✕ " + T.row_remove, "row-remove", { "aria-label": fmt(T.row_remove_label, { name: name }), "data-s": s, "data-r": r, "data-key": "remove:" + row.element }),
      ]),
    ]);
    return li;
  }

  function renderPicker(s) {
    var taken = used();
    var query = fold(picker.query).trim();
    var words = query ? query.split(/\s+/) : [];
    var matches = catalogue.filter(function (e) {
      var hay = fold(e.code + " " + e.name);
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
    var shown = matches.slice(0, PICKER_LIMIT);
    var list = el("ul", { className: "lb-results", id: "lb-results" });
    shown.forEach(function (e) {
      var inForm = !!taken[e.code];
      var text = e.code + " · " + e.name + (e.combo ? " (" + e.combo + ")" : "") + (inForm ? " — " + T.in_form : "");
      list.appendChild(el("li", {}, [el("button", {
        type: "button", className: "lb-pick", "data-act": "pick", "data-code": e.code, disabled: inForm, text: text,
        "data-key": "pick:" + e.code,
      })]));
    });
    var count = matches.length > shown.length
      ? fmt(T.results_more, { n: matches.length, shown: shown.length })
      : fmt(T.results, { n: matches.length });
    return el("div", { className: "lb-picker", role: "group", "aria-label": fmt(T.add_element_to, { title: sectionTitle(s) }) }, [
      el("div", { className: "field" }, [
        el("label", { "for": "lb-search", text: T.search }),
        el("input", { id: "lb-search", type: "search", value: picker.query, autocomplete: "off", "aria-controls": "lb-results", "aria-describedby": "lb-count", "data-key": "search" }),
      ]),
      el("p", { id: "lb-count", className: "small muted", "aria-live": "polite", text: count }),
      list,
      button(T.close, "close-picker", { "data-key": "close-picker" }),
    ]);
  }

  function renderSection(s, section) {
    var key = "s:" + s;
    var error = errors[key];
    var rows = el("ol", { className: "lb-rows", "data-s": s });
    section.rows.forEach(function (row, r) { rows.appendChild(renderRow(s, r, row)); });
    if (!section.rows.length) rows.appendChild(el("li", { className: "lb-empty muted small", text: T.empty_section }));
    var titleId = "lb-title-" + s;
    return el("li", { className: "lb-section card" + (error ? " lb-invalid" : ""), "data-s": s }, [
      el("div", { className: "lb-section-head" }, [
        el("div", { className: "field" }, [
          el("label", { "for": titleId, text: T.section_title + " *" }),
          el("input", { id: titleId, type: "text", value: section.title, "data-field": "title", "data-s": s, required: true,
            "aria-invalid": error ? "true" : null, "aria-describedby": error ? "lb-err-s-" + s : null, "data-key": "title:" + s }),
        ]),
        el("div", { className: "field" }, [
          el("label", { "for": "lb-title-en-" + s, text: T.section_title_en }),
          el("input", { id: "lb-title-en-" + s, type: "text", value: section.title_en, "data-field": "title_en", "data-s": s, lang: "en" }),
        ]),
        el("div", { className: "lb-actions" }, [
          button("↑", "section-up", { "aria-label": T.section_up + ": " + sectionTitle(s), title: T.section_up, "data-s": s, disabled: s === 0, "data-key": "section-up:" + s }),
          button("↓", "section-down", { "aria-label": T.section_down + ": " + sectionTitle(s), title: T.section_down, "data-s": s, disabled: s === layout.sections.length - 1, "data-key": "section-down:" + s }),
          button("✕ " + T.section_remove, "section-remove", { "aria-label": T.section_remove + ": " + sectionTitle(s), "data-s": s }),
        ]),
      ]),
      error ? el("p", { className: "errors", id: "lb-err-s-" + s, text: error }) : null,
      rows,
      picker && picker.s === s
        ? renderPicker(s)
        : button("+ " + T.add_element, "open-picker", { "aria-label": fmt(T.add_element_to, { title: sectionTitle(s) }), "data-s": s, "data-key": "open-picker:" + s }),
    ]);
  }

  function render() {
    var list = el("ol", { className: "lb-sections" });
    layout.sections.forEach(function (section, s) { list.appendChild(renderSection(s, section)); });
    root.textContent = "";
    if (!layout.sections.length) root.appendChild(el("p", { className: "muted", text: T.no_sections }));
    root.appendChild(list);
    root.appendChild(el("div", { className: "lb-toolbar" }, [button("+ " + T.add_section, "add-section", { className: "btn small", "data-key": "add-section" })]));
    if (focusKey) {
      var target = root.querySelector('[data-key="' + focusKey.replace(/"/g, '\\"') + '"]');
      if (target && !target.disabled) target.focus();
      else if (target) {
        var actions = target.parentNode.querySelectorAll("button:not([disabled])");
        if (actions.length) actions[0].focus();
      }
      focusKey = null;
    }
  }

  /* --- checks (the service checks again; this only saves a round trip) ---------------------- */
  function check() {
    errors = {};
    var first = null;
    var count = 0;
    layout.sections.forEach(function (section, s) {
      if (!section.title.trim()) {
        errors["s:" + s] = fmt(T.title_required, { n: s + 1 });
        first = first || "title:" + s;
      }
      section.rows.forEach(function (row, r) {
        count++;
        if (!byCode[row.element]) {
          errors["r:" + s + ":" + r] = fmt(T.unknown_element, { code: row.element });
          first = first || "remove:" + row.element;
        }
      });
    });
    if (!first && !count) return T.empty_layout;
    if (first) { focusKey = first; return T.fix_errors; }
    return "";
  }

  /* --- events ------------------------------------------------------------------------------- */
  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-act]");
    if (!target || !root.contains(target)) return;
    var act = target.getAttribute("data-act");
    var s = parseInt(target.getAttribute("data-s"), 10);
    var r = parseInt(target.getAttribute("data-r"), 10);
    var row, to;
    switch (act) {
      case "add-section":
        layout.sections.push({ title: "", title_en: "", rows: [] });
        focusKey = "title:" + (layout.sections.length - 1);
        changed(T.section_added);
        break;
      case "section-up":
      case "section-down":
        to = act === "section-up" ? s - 1 : s + 1;
        if (to < 0 || to >= layout.sections.length) return;
        layout.sections.splice(to, 0, layout.sections.splice(s, 1)[0]);
        if (picker && picker.s === s) picker.s = to;
        else if (picker && picker.s === to) picker.s = s;
        focusKey = act + ":" + to;
        changed(fmt(T.section_moved, { title: sectionTitle(to), pos: to + 1 }));
        break;
      case "section-remove":
        var section = layout.sections[s];
        if (section.rows.length && !window.confirm(fmt(T.section_remove_confirm, { title: sectionTitle(s), n: section.rows.length }))) return;
        var title = sectionTitle(s);
        layout.sections.splice(s, 1);
        if (picker) picker = picker.s === s ? null : (picker.s > s ? { s: picker.s - 1, query: picker.query } : picker);
        focusKey = layout.sections.length ? "title:" + Math.max(0, s - 1) : "add-section";
        changed(fmt(T.section_removed, { title: title }));
        break;
      case "row-up":
      case "row-down":
        row = layout.sections[s].rows[r];
        to = act === "row-up" ? rowUp(s, r) : rowDown(s, r);
        if (!to) return;
        focusKey = (act === "row-up" ? "up:" : "down:") + row.element;
        changed(fmt(T.moved, { name: rowName(row), pos: to[1] + 1, title: sectionTitle(to[0]) }));
        break;
      case "row-remove":
        row = layout.sections[s].rows.splice(r, 1)[0];
        var next = layout.sections[s].rows[r] || layout.sections[s].rows[r - 1];
        focusKey = next ? "remove:" + next.element : "open-picker:" + s;
        changed(fmt(T.removed, { name: rowName(row) }));
        break;
      case "open-picker":
        picker = { s: s, query: "" };
        focusKey = "search";
        render();
        break;
      case "close-picker":
        focusKey = "open-picker:" + picker.s;
        picker = null;
        render();
        break;
      case "pick":
        var code = target.getAttribute("data-code");
        if (!picker || used()[code]) return;
        layout.sections[picker.s].rows.push({ element: code, label: "", label_en: "" });
        focusKey = "search";
        changed(fmt(T.added, { name: byCode[code] ? byCode[code].name : code, title: sectionTitle(picker.s) }));
        break;
    }
  });

  /* Names typed into a field show up in the buttons' names at once, without redrawing (which
     would take the focus away from the field). */
  function relabel(s) {
    var node = root.querySelector('.lb-section[data-s="' + s + '"]');
    if (!node) return;
    var title = sectionTitle(s);
    node.querySelectorAll(":scope > .lb-section-head [data-act]").forEach(function (b) {
      var act = b.getAttribute("data-act");
      var label = act === "section-up" ? T.section_up : act === "section-down" ? T.section_down : T.section_remove;
      b.setAttribute("aria-label", label + ": " + title);
    });
    var open = node.querySelector(':scope > [data-act="open-picker"]');
    if (open) open.setAttribute("aria-label", fmt(T.add_element_to, { title: title }));
    var group = node.querySelector(":scope > .lb-picker");
    if (group) group.setAttribute("aria-label", fmt(T.add_element_to, { title: title }));
    node.querySelectorAll(".lb-row").forEach(function (rowNode) {
      var name = rowName(layout.sections[s].rows[parseInt(rowNode.getAttribute("data-r"), 10)]);
      rowNode.querySelector(".lb-name").textContent = name;
      rowNode.querySelector('[data-act="row-up"]').setAttribute("aria-label", fmt(T.row_up_label, { name: name }));
      rowNode.querySelector('[data-act="row-down"]').setAttribute("aria-label", fmt(T.row_down_label, { name: name }));
      rowNode.querySelector('[data-act="row-remove"]').setAttribute("aria-label", fmt(T.row_remove_label, { name: name }));
    });
  }

  root.addEventListener("input", function (event) {
    var input = event.target;
    if (input.id === "lb-search") {
      picker.query = input.value;
      var caret = input.selectionStart;
      var old = root.querySelector(".lb-picker");
      var fresh = renderPicker(picker.s);
      old.parentNode.replaceChild(fresh, old);
      var again = document.getElementById("lb-search");
      again.focus();
      if (caret !== null) again.setSelectionRange(caret, caret);
      return;
    }
    var field = input.getAttribute("data-field");
    if (!field) return;
    var s = parseInt(input.getAttribute("data-s"), 10);
    var target = input.hasAttribute("data-r") ? layout.sections[s].rows[parseInt(input.getAttribute("data-r"), 10)] : layout.sections[s];
    target[field] = input.value;
    relabel(s);
    dirty = true;
    announce(T.unsaved);
  });

  root.addEventListener("keydown", function (event) {
    var t = event.target;
    if (t.id === "lb-search") {
      if (event.key === "ArrowDown") {
        var first = root.querySelector(".lb-pick:not([disabled])");
        if (first) { first.focus(); event.preventDefault(); }
      } else if (event.key === "Escape") {
        focusKey = "open-picker:" + picker.s;
        picker = null;
        render();
        event.preventDefault();
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submit the page's forms from the search box
      }
      return;
    }
    if (t.classList.contains("lb-pick") && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var picks = Array.prototype.slice.call(root.querySelectorAll(".lb-pick:not([disabled])"));
      var i = picks.indexOf(t) + (event.key === "ArrowDown" ? 1 : -1);
      if (i < 0) document.getElementById("lb-search").focus();
      else if (i < picks.length) picks[i].focus();
      event.preventDefault();
    }
  });

  /* Drag and drop of rows, within a section or into another one (also an empty one). */
  var dragging = null;
  /* Only the handle starts a drag, so text in the row's fields can still be selected with the mouse. */
  root.addEventListener("mousedown", function (event) {
    var handle = event.target.closest && event.target.closest(".lb-handle");
    if (handle) handle.parentNode.setAttribute("draggable", "true");
  });
  root.addEventListener("mouseup", function () {
    root.querySelectorAll('.lb-row[draggable="true"]').forEach(function (n) { n.removeAttribute("draggable"); });
  });
  function clearMarks() {
    root.querySelectorAll(".lb-drop-before, .lb-drop-after, .lb-drop-into").forEach(function (n) {
      n.classList.remove("lb-drop-before", "lb-drop-after", "lb-drop-into");
    });
  }
  function dropTarget(event) {
    var rowNode = event.target.closest && event.target.closest(".lb-row");
    if (rowNode && root.contains(rowNode)) {
      var box = rowNode.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      var s = parseInt(rowNode.getAttribute("data-s"), 10);
      var r = parseInt(rowNode.getAttribute("data-r"), 10);
      return { node: rowNode, cls: after ? "lb-drop-after" : "lb-drop-before", s: s, r: after ? r + 1 : r };
    }
    var sectionNode = event.target.closest && event.target.closest(".lb-section");
    if (sectionNode && root.contains(sectionNode)) {
      var si = parseInt(sectionNode.getAttribute("data-s"), 10);
      return { node: sectionNode.querySelector(".lb-rows"), cls: "lb-drop-into", s: si, r: layout.sections[si].rows.length };
    }
    return null;
  }
  root.addEventListener("dragstart", function (event) {
    var rowNode = event.target.closest && event.target.closest(".lb-row");
    if (!rowNode) return;
    dragging = { s: parseInt(rowNode.getAttribute("data-s"), 10), r: parseInt(rowNode.getAttribute("data-r"), 10) };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", rowNode.getAttribute("data-code"));
    rowNode.classList.add("lb-dragging");
  });
  root.addEventListener("dragover", function (event) {
    if (!dragging) return;
    var target = dropTarget(event);
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    target.node.classList.add(target.cls);
  });
  root.addEventListener("dragleave", function (event) {
    if (!root.contains(event.relatedTarget)) clearMarks();
  });
  root.addEventListener("drop", function (event) {
    if (!dragging) return;
    var target = dropTarget(event);
    clearMarks();
    if (!target) return;
    event.preventDefault();
    var from = dragging;
    dragging = null;
    var toR = target.r;
    if (target.s === from.s && toR > from.r) toR -= 1; // the row leaves its place before it lands
    if (target.s === from.s && toR === from.r) { render(); return; }
    var row = moveRow(from.s, from.r, target.s, toR);
    focusKey = "up:" + row.element;
    changed(fmt(T.moved, { name: rowName(row), pos: toR + 1, title: sectionTitle(target.s) }));
  });
  root.addEventListener("dragend", function () {
    dragging = null;
    root.querySelectorAll('.lb-row[draggable="true"]').forEach(function (n) { n.removeAttribute("draggable"); });
    clearMarks();
    root.querySelectorAll(".lb-dragging").forEach(function (n) { n.classList.remove("lb-dragging"); });
  });

  form.addEventListener("submit", function (event) {
    var problem = check();
    if (problem) {
      event.preventDefault();
      render();
      errorBox.textContent = problem;
      errorBox.hidden = false;
      return;
    }
    hidden.value = JSON.stringify(layout);
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = T.leave;
    return T.leave;
  });

  /* Tabs: the builder by default, the text editor for advanced users (and after its own errors). */
  var tabs = Array.prototype.slice.call(editor.querySelectorAll('[role="tab"]'));
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab); });
    tab.addEventListener("keydown", function (event) {
      var j = event.key === "ArrowRight" ? i + 1 : event.key === "ArrowLeft" ? i - 1 : null;
      if (j === null) return;
      var next = tabs[(j + tabs.length) % tabs.length];
      select(next);
      next.focus();
      event.preventDefault();
    });
  });
  editor.querySelector('[role="tablist"]').hidden = false;
  select(document.getElementById(editor.getAttribute("data-initial-tab") === "text" ? "tab-text" : "tab-builder"));
  if (!errorBox.hidden && errorBox.textContent.trim()) dirty = true; // the posted, unsaved layout is on screen
  render();
})();
