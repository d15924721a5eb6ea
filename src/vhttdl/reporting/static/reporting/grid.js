/* The report entry grid: keyboard moves between cells, autosave of changed cells, live row totals,
   per-cell messages, and a clear message (never a silent overwrite) when someone else saved first.
   No library: plain DOM and fetch. Without this script the grid is a normal form with a Save button. */
(function () {
  "use strict";
  var form = document.getElementById("report-grid");
  if (!form || form.dataset.editable !== "1") return;
  var status = document.getElementById("save-status");
  var versionInput = document.getElementById("grid-version");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var cells = Array.prototype.slice.call(form.querySelectorAll("input.cell"));
  var pending = {};
  var timer = null;
  var saving = false;

  /* Rows of inputs for arrow keys: by table row, in document order. */
  var rows = [];
  form.querySelectorAll("tr[data-row]").forEach(function (tr) {
    var inputs = Array.prototype.slice.call(tr.querySelectorAll("input.cell"));
    if (inputs.length) rows.push(inputs);
  });
  function position(input) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c >= 0) return [r, c];
    }
    return null;
  }
  function focusAt(r, c) {
    if (r < 0 || r >= rows.length) return;
    var row = rows[r];
    var target = row[Math.min(c, row.length - 1)];
    target.focus();
    target.select();
  }
  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) return;
    var pos = position(input);
    if (!pos) return;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var allSelected = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    switch (event.key) {
      case "ArrowUp": focusAt(pos[0] - 1, pos[1]); event.preventDefault(); break;
      case "ArrowDown": focusAt(pos[0] + 1, pos[1]); event.preventDefault(); break;
      case "Enter": focusAt(pos[0] + (event.shiftKey ? -1 : 1), pos[1]); event.preventDefault(); break;
      case "ArrowLeft":
        if (atStart || allSelected) {
          if (pos[1] > 0) focusAt(pos[0], pos[1] - 1); else focusAt(pos[0] - 1, 99);
          event.preventDefault();
        }
        break;
      case "ArrowRight":
        if (atEnd || allSelected) {
          if (pos[1] < rows[pos[0]].length - 1) focusAt(pos[0], pos[1] + 1); else focusAt(pos[0] + 1, 0);
          event.preventDefault();
        }
        break;
    }
  });

  /* Live totals: parse like the server does. First the page's own format (on a Vietnamese page
     "1.500" is fifteen hundred and "12,5" twelve and a half; on an English page "1,500" and "12.5"),
     as the grid shows numbers; then the other spellings the server accepts ("1234.5"). */
  var english = document.documentElement.lang === "en";
  var readerGrouped = english ? /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/ : /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
  var readerDecimal = english ? /^[+-]?\d+\.\d+$/ : /^[+-]?\d+,\d+$/;
  function parse(text, integer) {
    text = (text || "").replace(/\s/g, "");
    if (!text) return 0;
    if (readerGrouped.test(text) || readerDecimal.test(text)) {
      text = english ? text.replace(/,/g, "") : text.replace(/\./g, "").replace(",", ".");
      var m = Number(text);
      return isFinite(m) ? m : 0;
    }
    if (integer && /^[+-]?\d{1,3}([.,]\d{3})+$/.test(text)) text = text.replace(/[.,]/g, "");
    var dot = text.indexOf(".") >= 0, comma = text.indexOf(",") >= 0;
    if (dot && comma) {
      if (text.lastIndexOf(".") > text.lastIndexOf(",")) text = text.replace(/,/g, "");
      else text = text.replace(/\./g, "").replace(",", ".");
    } else if ((text.match(/\./g) || []).length > 1) text = text.replace(/\./g, "");
    else if ((text.match(/,/g) || []).length > 1) text = text.replace(/,/g, "");
    else if (comma) text = text.replace(",", ".");
    var n = Number(text);
    return isFinite(n) ? n : 0;
  }
  function fmt(n) { return n.toLocaleString(document.documentElement.lang === "en" ? "en" : "vi"); }
  function refreshTotal(element) {
    /* Row totals, and for two-category elements the sub-row, column and grand totals. */
    var all = 0, byRow = {}, byCol = {};
    form.querySelectorAll('input.cell[data-element="' + element + '"]').forEach(function (i) {
      var n = parse(i.value, /integer/.test(i.dataset.type || ""));
      all += n;
      if (i.dataset.r) {
        byRow[i.dataset.r] = (byRow[i.dataset.r] || 0) + n;
        byCol[i.dataset.c] = (byCol[i.dataset.c] || 0) + n;
      }
    });
    var total = form.querySelector('[data-total-for="' + element + '"]');
    if (total) total.textContent = fmt(all);
    Object.keys(byRow).forEach(function (r) {
      var cell = form.querySelector('[data-sum-row="' + element + "|" + r + '"]');
      if (cell) cell.textContent = fmt(byRow[r]);
    });
    Object.keys(byCol).forEach(function (c) {
      var cell = form.querySelector('[data-sum-col="' + element + "|" + c + '"]');
      if (cell) cell.textContent = fmt(byCol[c]);
    });
  }

  function key(input) { return input.dataset.element + ":" + input.dataset.combo; }
  function queue(input) {
    var commentBox = form.querySelector('textarea[data-comment-for="' + input.id + '"]');
    pending[key(input)] = {
      element: input.dataset.element, combo: input.dataset.combo, value: input.value,
      comment: commentBox ? commentBox.value : null
    };
    say(form.dataset.msgSaving);
    clearTimeout(timer);
    timer = setTimeout(flush, 800);
  }
  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.className = kind === "err" ? "badge err" : (kind === "ok" ? "badge ok" : "muted");
  }
  function markError(element, combo, message) {
    var input = form.querySelector('input.cell[data-element="' + element + '"][data-combo="' + combo + '"]');
    if (!input) return;
    var holder = document.getElementById(input.id + "-err");
    if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    if (holder) holder.textContent = message || "";
  }
  function showRules(rules) {
    var box = document.getElementById("rule-results");
    if (!box) return;
    box.innerHTML = "";
    if (!rules || !rules.length) return;
    var div = document.createElement("div");
    div.className = "alert warn";
    var title = document.createElement("strong");
    title.textContent = form.dataset.msgRules;
    div.appendChild(title);
    var ul = document.createElement("ul");
    rules.forEach(function (r) {
      var li = document.createElement("li");
      var error = r.importance === "error";
      li.className = error ? "rule-error" : "rule-warning";
      li.textContent = (error ? form.dataset.msgRuleError : form.dataset.msgRuleWarning) + ": " + r.message;
      ul.appendChild(li);
    });
    div.appendChild(ul);
    box.appendChild(div);
  }
  function setVersion(v) {
    versionInput.value = v;
    document.querySelectorAll("input.version-field").forEach(function (i) { i.value = v; });
  }

  function flush() {
    if (saving) { clearTimeout(timer); timer = setTimeout(flush, 400); return; }
    var batch = Object.keys(pending).map(function (k) { return pending[k]; });
    if (!batch.length) return;
    pending = {};
    saving = true;
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ version: Number(versionInput.value), cells: batch })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      saving = false;
      var body = result.body;
      if (result.status === 200) {
        setVersion(body.version);
        batch.forEach(function (c) { markError(c.element, c.combo, ""); });
        (body.errors || []).forEach(function (e) { markError(e.element, e.combo, e.message); });
        showRules(body.rules);
        if (body.errors && body.errors.length) say(form.dataset.msgError + " (" + body.errors.length + ")", "err");
        else say(form.dataset.msgSaved + " " + body.saved_at, "ok");
      } else if (result.status === 409 && body.details && body.details.changed) {
        /* Someone saved first. Show their values in the cells they changed; keep ours only where
           we edited the same cell (marked, saved again only when the person says so); re-send the
           rest against the new version. Nothing is overwritten without the person seeing it. */
        var mine = {};
        batch.forEach(function (c) { mine[c.element + ":" + c.combo] = c; });
        var lines = body.details.changed.map(function (c) {
          var k = c.element + ":" + c.combo;
          var input = form.querySelector('input.cell[data-element="' + c.element + '"][data-combo="' + c.combo + '"]');
          var shown = c.new === "" ? "∅" : c.new;
          if (mine[k]) {
            markError(c.element, c.combo, form.dataset.msgTheirs + " " + shown + " (" + (c.by || "") + ")");
            delete mine[k];
          } else if (input) {
            input.value = c.new;
            input.dataset.original = c.new;
            refreshTotal(c.element);
          }
          return c.element + "/" + c.combo + " → " + shown + " (" + (c.by || "") + ")";
        });
        setVersion(body.details.current_version);
        Object.keys(mine).forEach(function (k) { pending[k] = mine[k]; });
        say(form.dataset.msgConflict + " " + lines.join("; "), "err");
        window.alert(body.message + "\n\n" + lines.join("\n"));
        if (Object.keys(pending).length) { clearTimeout(timer); timer = setTimeout(flush, 400); }
      } else {
        say(body.message || form.dataset.msgError, "err");
      }
    }).catch(function () {
      saving = false;
      batch.forEach(function (c) { pending[c.element + ":" + c.combo] = c; });
      say(form.dataset.msgOffline, "err");
      timer = setTimeout(flush, 5000);
    });
  }

  cells.forEach(function (input) {
    input.addEventListener("input", function () { refreshTotal(input.dataset.element); });
    input.addEventListener("change", function () { queue(input); });
  });
  form.querySelectorAll("textarea[data-comment-for]").forEach(function (box) {
    box.addEventListener("change", function () {
      var input = document.getElementById(box.dataset.commentFor);
      if (input) queue(input);
    });
  });
  /* Submitting the report saves pending cells first. */
  var submitButton = document.getElementById("submit-report");
  if (submitButton) {
    submitButton.form.addEventListener("submit", function (event) {
      if (Object.keys(pending).length || saving) {
        event.preventDefault();
        flush();
        setTimeout(function () { submitButton.form.submit(); }, 1200);
      }
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length) { flush(); event.preventDefault(); event.returnValue = ""; }
  });
})();
