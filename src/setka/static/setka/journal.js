// The journal grid: keyboard and touch entry of marks and attendance, each cell saved on its
// own without reloading. Optimistic: a cell shows what was typed at once ("saving"), turns
// normal when the server confirms, and on failure shows a clear error and keeps the typed
// text. Unsent cells are queued and retried; leaving the page with unsaved cells asks first.
// No inline scripts (strict CSP): everything hangs on the data- attributes of #journal-grid.
(function () {
  "use strict";

  var table = document.getElementById("journal-grid");
  if (!table) return;

  var i18nBox = document.getElementById("journal-i18n");
  var t = i18nBox ? i18nBox.dataset : {};
  var writes = table.dataset.writes === "1";
  var passFail = table.dataset.passFail === "1";
  var cellUrl = table.dataset.cellUrl;
  var alertBox = document.getElementById("grid-alert");
  var statusBox = document.getElementById("grid-status");
  var pad = document.getElementById("cell-pad");

  var body = table.tBodies[0];
  var grid = [];
  Array.prototype.forEach.call(body.rows, function (row, r) {
    var cells = Array.prototype.slice.call(row.querySelectorAll("td.cell"));
    cells.forEach(function (cell, c) {
      cell.dataset.r = r;
      cell.dataset.c = c;
      cell.dataset.saved = cell.dataset.text || "";
      cell._savedNodes = cloneChildren(cell);
    });
    grid.push(cells);
  });
  if (!grid.length || !grid[0].length) return;

  var active = null; // the cell with tabindex=0
  var editor = null; // {cell, input, nodes}
  var queue = []; // [{cell, text}] waiting to be sent, in order
  var inFlight = null;
  var retryTimer = null;
  var retryDelay = 2000;
  var failed = new Set(); // cells whose last save was refused
  var lastPointer = "mouse";
  var downOnActive = false;

  // --- helpers -------------------------------------------------------------------------------

  function cloneChildren(el) {
    return Array.prototype.map.call(el.childNodes, function (n) { return n.cloneNode(true); });
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function say(message) {
    if (statusBox) statusBox.textContent = message || "";
  }

  function showAlert(message) {
    if (!alertBox) return;
    alertBox.textContent = message;
    alertBox.hidden = !message;
  }

  function cellAt(r, c) {
    if (r < 0 || r >= grid.length) return null;
    var row = grid[r];
    if (c < 0 || c >= row.length) return null;
    return row[c];
  }

  function isEditable(cell) {
    return writes && !cell.classList.contains("ro");
  }

  function setLabel(cell, text, extra) {
    var label = cell.dataset.label + (text ? ": " + text : "");
    if (extra) label += " — " + extra;
    cell.setAttribute("aria-label", label);
  }

  function focusCell(cell) {
    if (!cell) return;
    if (active && active !== cell) active.tabIndex = -1;
    active = cell;
    cell.tabIndex = 0;
    cell.focus();
  }

  function queued(cell) {
    if (inFlight && inFlight.cell === cell) return true;
    return queue.some(function (item) { return item.cell === cell; });
  }

  // --- showing a cell ------------------------------------------------------------------------

  function showSaved(cell, data) {
    cell.textContent = "";
    if (data.attendance) {
      var a = document.createElement("span");
      a.className = "att";
      a.textContent = data.attendance;
      cell.appendChild(a);
    }
    (data.marks || []).forEach(function (m) {
      var s = document.createElement("span");
      s.className = "mk";
      s.textContent = m.text;
      if (m.kind) s.title = m.kind;
      cell.appendChild(s);
    });
    cell.classList.remove("saving", "error", "retry");
    cell.removeAttribute("aria-busy");
    cell.removeAttribute("aria-invalid");
    cell.removeAttribute("title");
    cell.dataset.text = data.text;
    cell.dataset.saved = data.text;
    cell._savedNodes = cloneChildren(cell);
    failed.delete(cell);
    setLabel(cell, data.text);
  }

  function showPending(cell, text) {
    cell.textContent = text;
    cell.dataset.text = text;
    cell.classList.remove("error", "retry");
    cell.classList.add("saving");
    cell.setAttribute("aria-busy", "true");
    cell.removeAttribute("aria-invalid");
    cell.title = t.saving || "";
    setLabel(cell, text, t.saving);
  }

  function showError(cell, text, message, retrying) {
    cell.textContent = text;
    cell.dataset.text = text;
    cell.classList.remove("saving");
    cell.classList.add("error");
    cell.classList.toggle("retry", !!retrying);
    cell.removeAttribute("aria-busy");
    cell.setAttribute("aria-invalid", "true");
    cell.title = message;
    setLabel(cell, text, (t.failed || "") + ": " + message);
    if (!retrying) failed.add(cell);
  }

  function restoreSaved(cell) {
    cell.textContent = "";
    (cell._savedNodes || []).forEach(function (n) { cell.appendChild(n.cloneNode(true)); });
    cell.classList.remove("saving", "error", "retry");
    cell.removeAttribute("aria-busy");
    cell.removeAttribute("aria-invalid");
    cell.removeAttribute("title");
    cell.dataset.text = cell.dataset.saved;
    failed.delete(cell);
    setLabel(cell, cell.dataset.saved);
    if (!failed.size) showAlert("");
  }

  function updateRow(cell, data) {
    var row = cell.parentNode;
    var set = function (cls, value) {
      var el = row.querySelector("td." + cls);
      if (el) el.textContent = value === undefined || value === null ? "" : String(value);
    };
    set("avg", data.average);
    set("cnt", data.count || "");
    set("sug", data.suggested);
  }

  // --- saving --------------------------------------------------------------------------------

  function enqueue(cell, text, reason) {
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].cell === cell) {
        queue[i].text = text;
        queue[i].reason = reason || "";
        pump();
        return;
      }
    }
    queue.push({ cell: cell, text: text, reason: reason || "" });
    pump();
  }

  // --- deleting: an undo for a few seconds; a reason for a mark older than the session --------

  var undoBox = document.getElementById("grid-undo");
  var undoTimer = null;

  function offerUndo(cell, ids) {
    if (!undoBox || !table.dataset.undoUrl) return;
    var button = undoBox.querySelector("button");
    undoBox.querySelector("span").textContent = (t.deleted || "") + " " + cell.dataset.label;
    undoBox.hidden = false;
    if (undoTimer) window.clearTimeout(undoTimer);
    undoTimer = window.setTimeout(function () { undoBox.hidden = true; }, 8000);
    button.onclick = function () {
      undoBox.hidden = true;
      var form = new URLSearchParams();
      ids.forEach(function (id) { form.append("mark", id); });
      fetch(table.dataset.undoUrl, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.ok) throw new Error(data.error || "");
          showSaved(cell, data);
          updateRow(cell, data);
          say(t.undone || "");
          focusCell(cell);
        })
        .catch(function (error) { showAlert((error && error.message) || t.offline || ""); });
    };
  }

  var reasonDialog = document.getElementById("reason-dialog");

  function askReason(cell, text, message) {
    if (!reasonDialog || typeof reasonDialog.showModal !== "function") {
      showError(cell, text, message, false);
      showAlert(message);
      return;
    }
    var input = reasonDialog.querySelector("input[name=reason]");
    reasonDialog.querySelector(".reason-message").textContent = message;
    input.value = "";
    reasonDialog.onclose = function () {
      var reason = normalise(input.value);
      if (reasonDialog.returnValue === "ok" && reason) {
        showPending(cell, text);
        enqueue(cell, text, reason);
      } else {
        restoreSaved(cell);
      }
      focusCell(cell);
    };
    reasonDialog.returnValue = "";
    reasonDialog.showModal();
    input.focus();
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      pump();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function pump() {
    if (inFlight || retryTimer || !queue.length) return;
    var item = queue.shift();
    inFlight = item;
    var form = new URLSearchParams();
    form.set("lesson", item.cell.dataset.lesson);
    form.set("student", item.cell.parentNode.dataset.student);
    form.set("text", item.text);
    if (item.reason) form.set("reason", item.reason);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) controller.abort(); }, 20000);
    fetch(cellUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          return { status: response.status, data: null };
        }
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (res) {
        window.clearTimeout(timer);
        inFlight = null;
        var cell = item.cell;
        var newer = queued(cell);
        if (res.data && res.data.ok) {
          retryDelay = 2000;
          updateRow(cell, res.data);
          if (res.data.deleted && res.data.deleted.length) offerUndo(cell, res.data.deleted);
          if (!newer && !(editor && editor.cell === cell)) showSaved(cell, res.data);
          else if (!newer) cell.dataset.saved = res.data.text;
          say(t.saved || "");
          if (!failed.size) showAlert("");
        } else if (res.status >= 500 || res.status === 0) {
          // The server failed: keep the input and try again later.
          queue.unshift(item);
          if (!newer) showError(cell, item.text, t.offline || "", true);
          showAlert(t.offline || "");
          scheduleRetry();
        } else if (res.data && res.data.code === "reason_required" && !newer) {
          say("");
          askReason(cell, item.text, res.data.error);
        } else {
          var message = (res.data && res.data.error) || t.expired || "";
          say("");
          if (!newer) {
            showError(cell, item.text, message, false);
            showAlert((t.failed || "") + ": " + cell.dataset.label + ": " + message + " " + (t.cellError || ""));
          }
        }
        pump();
      })
      .catch(function () {
        // No connection (or a timeout): nothing is lost, the cell waits for the next try.
        window.clearTimeout(timer);
        inFlight = null;
        if (!queued(item.cell)) {
          queue.unshift(item);
          showError(item.cell, item.text, t.offline || "", true);
        }
        showAlert(t.offline || "");
        scheduleRetry();
      });
  }

  window.addEventListener("online", function () {
    if (retryTimer) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    retryDelay = 2000;
    pump();
  });

  window.addEventListener("beforeunload", function (event) {
    if (editor) commit(0, 0);
    if (queue.length || inFlight || failed.size) {
      event.preventDefault();
      event.returnValue = t.pending || "";
      return t.pending || "";
    }
    return undefined;
  });

  // --- editing -------------------------------------------------------------------------------

  function startEdit(cell, text) {
    if (!isEditable(cell)) {
      say(t.readonly || "");
      return;
    }
    if (editor) commit(0, 0);
    focusCell(cell);
    var input = document.createElement("input");
    input.type = "text";
    input.className = "cell-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.maxLength = 40;
    input.setAttribute("inputmode", passFail ? "text" : "numeric");
    input.setAttribute("enterkeyhint", "done");
    input.setAttribute("aria-label", cell.dataset.label);
    input.value = text;
    editor = { cell: cell, input: input, nodes: cloneChildren(cell) };
    holdWidth(cell);
    cell.textContent = "";
    cell.appendChild(input);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    input.addEventListener("keydown", onEditorKey);
    input.addEventListener("blur", function () {
      if (editor && editor.input === input) commit(0, 0, true);
    });
  }

  // The cell being edited keeps the width it had: the editor fills it instead of widening
  // the column (and moving the whole table under the teacher's eyes).
  function holdWidth(cell) {
    var width = cell.getBoundingClientRect().width + "px";
    cell.style.width = width;
    cell.style.minWidth = width;
    cell.style.maxWidth = width;
  }

  function releaseWidth(cell) {
    cell.style.width = "";
    cell.style.minWidth = "";
    cell.style.maxWidth = "";
  }

  function commit(dr, dc, fromBlur) {
    var ed = editor;
    if (!ed) return;
    editor = null;
    var cell = ed.cell;
    releaseWidth(cell);
    var text = normalise(ed.input.value);
    var before = normalise(cell.dataset.text);
    if (text === before && !cell.classList.contains("error")) {
      cell.textContent = "";
      ed.nodes.forEach(function (n) { cell.appendChild(n); });
    } else if (text === normalise(cell.dataset.saved) && !queued(cell)) {
      restoreSaved(cell);
    } else {
      showPending(cell, text);
      say(t.saving || "");
      enqueue(cell, text);
    }
    if (dr || dc) {
      var next = cellAt(+cell.dataset.r + dr, +cell.dataset.c + dc);
      focusCell(next || cell);
    } else if (!fromBlur) {
      focusCell(cell);
    }
  }

  function cancelEdit() {
    var ed = editor;
    if (!ed) return;
    editor = null;
    releaseWidth(ed.cell);
    ed.cell.textContent = "";
    ed.nodes.forEach(function (n) { ed.cell.appendChild(n); });
    focusCell(ed.cell);
  }

  function onEditorKey(event) {
    var input = event.target;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    switch (event.key) {
      case "Enter":
        event.preventDefault();
        commit(event.shiftKey ? -1 : 1, 0);
        break;
      case "Tab":
        event.preventDefault();
        commit(0, event.shiftKey ? -1 : 1);
        break;
      case "Escape":
        event.preventDefault();
        cancelEdit();
        break;
      case "ArrowUp":
        event.preventDefault();
        commit(-1, 0);
        break;
      case "ArrowDown":
        event.preventDefault();
        commit(1, 0);
        break;
      case "ArrowLeft":
        if (atStart) {
          event.preventDefault();
          commit(0, -1);
        }
        break;
      case "ArrowRight":
        if (atEnd) {
          event.preventDefault();
          commit(0, 1);
        }
        break;
      default:
        break;
    }
  }

  function appendToken(text, token) {
    text = normalise(text);
    return text ? text + " " + token : token;
  }

  // --- navigation ----------------------------------------------------------------------------

  table.addEventListener("keydown", function (event) {
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    if (!cell || editor) return;
    var r = +cell.dataset.r;
    var c = +cell.dataset.c;
    var moveTo = function (nr, nc) {
      var next = cellAt(nr, nc);
      if (next) {
        event.preventDefault();
        focusCell(next);
      }
      return !!next;
    };
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case "ArrowUp": moveTo(r - 1, c); return;
      case "ArrowDown": moveTo(r + 1, c); return;
      case "ArrowLeft": moveTo(r, c - 1); return;
      case "ArrowRight": moveTo(r, c + 1); return;
      case "Home": moveTo(r, 0); return;
      case "End": moveTo(r, grid[r].length - 1); return;
      case "PageUp": moveTo(0, c); return;
      case "PageDown": moveTo(grid.length - 1, c); return;
      case "Tab":
        // Tab walks along the row; past its end it leaves the grid (to the period mark).
        moveTo(r, event.shiftKey ? c - 1 : c + 1);
        return;
      case "Enter":
      case "F2":
        event.preventDefault();
        startEdit(cell, cell.classList.contains("error") ? cell.dataset.text : cell.dataset.saved);
        return;
      case "Delete":
      case "Backspace":
        event.preventDefault();
        if (!isEditable(cell)) {
          say(t.readonly || "");
        } else if (normalise(cell.dataset.text) || cell.classList.contains("error")) {
          showPending(cell, "");
          enqueue(cell, "");
        }
        return;
      case "Escape":
        if (cell.classList.contains("error") && !queued(cell)) {
          event.preventDefault();
          restoreSaved(cell);
        }
        return;
      default:
        break;
    }
    var base = cell.classList.contains("error") ? "" : cell.dataset.text;
    if (event.key && event.key.length === 1 && event.key !== " ") {
      event.preventDefault();
      startEdit(cell, base ? base + " " : "");
      if (editor) editor.input.value += event.key;
    } else if (event.key === "Unidentified" || event.key === "Process") {
      // An on-screen keyboard or an input method: open the editor without stopping the key,
      // so that the character lands in it.
      startEdit(cell, base ? base + " " : "");
    }
  });

  table.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    // Before the pointer moves the focus: was this cell already the chosen one?
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    downOnActive = !!cell && cell === active && document.activeElement === cell;
  });

  table.addEventListener("click", function (event) {
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    if (!cell || (editor && editor.cell === cell)) return;
    var wasActive = downOnActive;
    downOnActive = false;
    focusCell(cell);
    // On a tablet a tap opens the editor at once (and with it the on-screen keyboard).
    if ((lastPointer === "touch" || lastPointer === "pen" || wasActive) && isEditable(cell)) {
      startEdit(cell, cell.classList.contains("error") ? cell.dataset.text : cell.dataset.saved);
    }
  });

  table.addEventListener("focusin", function (event) {
    var cell = event.target.closest ? event.target.closest("td.cell") : null;
    if (cell && cell !== active && event.target === cell) focusCell(cell);
  });

  // The first cell takes part in the Tab order; the others are reached with the arrows.
  active = grid[0][0];
  active.tabIndex = 0;

  // --- the pad of buttons (tablets, and anyone who prefers the mouse) ---------------------------

  if (pad) {
    // Keep the focus in the cell editor while a button is pressed.
    pad.addEventListener("pointerdown", function (event) {
      if (event.target.closest("button")) event.preventDefault();
    });
    pad.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) event.preventDefault();
    });
    pad.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !active) return;
      var token = button.dataset.token;
      var action = button.dataset.action;
      if (token) {
        if (editor) {
          editor.input.value = appendToken(editor.input.value, token);
          editor.input.focus();
        } else {
          startEdit(active, appendToken(active.classList.contains("error") ? "" : active.dataset.text, token));
        }
      } else if (action === "clear") {
        if (editor) {
          editor.input.value = "";
          editor.input.focus();
        } else if (isEditable(active)) {
          showPending(active, "");
          enqueue(active, "");
        }
      } else if (action === "save") {
        if (editor) commit(1, 0);
        else focusCell(active);
      }
    });
  }
})();

// Period and year marks: a select per student, saved on change without reloading (the last
// column of the grid, and the year marks page). It hangs on a table with
// data-period-mark-url; data-period names the period (none for a year mark).
(function () {
  "use strict";

  var tables = document.querySelectorAll("table[data-period-mark-url]");
  if (!tables.length) return;
  var i18nBox = document.getElementById("journal-i18n");
  var t = i18nBox ? i18nBox.dataset : {};
  var alertBox = document.getElementById("grid-alert");
  var pending = 0;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function showAlert(message) {
    if (!alertBox) return;
    alertBox.textContent = message;
    alertBox.hidden = !message;
  }

  function save(table, select) {
    var status = select.parentNode.querySelector(".pm-status");
    var form = new URLSearchParams();
    form.set("student", select.dataset.student);
    if (table.dataset.period) form.set("period", table.dataset.period);
    form.set("value", select.value);
    select.classList.remove("error");
    select.setAttribute("aria-busy", "true");
    if (status) status.textContent = t.saving || "";
    pending += 1;
    fetch(table.dataset.periodMarkUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) return { ok: false };
        return response.json();
      })
      .then(function (data) {
        if (!data.ok) throw new Error(data.error || t.expired || "");
        select.classList.remove("error");
        select.removeAttribute("aria-invalid");
        var empty = select.querySelector("option[value='']");
        if (empty) empty.disabled = true;
        if (status) status.textContent = t.pmSaved || "";
      })
      .catch(function (error) {
        var message = error && error.message && error.message !== "Failed to fetch" ? error.message : t.offline || "";
        select.classList.add("error");
        select.setAttribute("aria-invalid", "true");
        if (status) status.textContent = t.failed || "";
        showAlert(select.getAttribute("aria-label") + ": " + message);
      })
      .finally(function () {
        pending -= 1;
        select.removeAttribute("aria-busy");
      });
  }

  Array.prototype.forEach.call(tables, function (table) {
    table.addEventListener("change", function (event) {
      var select = event.target;
      if (select.classList && select.classList.contains("pm")) save(table, select);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!pending) return undefined;
    event.preventDefault();
    event.returnValue = t.pending || "";
    return t.pending || "";
  });
})();

// The grid's layout: the totals stick to the right edge at offsets measured here (their
// widths depend on the language and the marks), and the grid opens scrolled to today, the
// last lessons held in view between the names and the totals.
(function () {
  "use strict";

  var table = document.getElementById("journal-grid");
  if (!table) return;
  var wrap = table.closest(".journal-wrap");
  var head = table.tHead ? table.tHead.rows[0] : null;
  if (!wrap || !head) return;

  function totalsWidth() {
    var right = 0;
    var cells = head.querySelectorAll("th.tot");
    for (var i = cells.length - 1; i >= 0; i--) {
      var name = (cells[i].className.match(/tot-(\w+)/) || [])[1];
      if (name) table.style.setProperty("--tot-" + name, right + "px");
      right += cells[i].getBoundingClientRect().width;
    }
    return right;
  }

  function scrollToToday(totals) {
    var today = table.dataset.today;
    if (!today) return;
    var target = null;
    Array.prototype.forEach.call(head.querySelectorAll("th.lesson-col"), function (th) {
      if (th.dataset.date <= today) target = th;
      if (th.dataset.date === today) th.classList.add("today");
    });
    if (!target) return;
    // today's (or the last held) lesson and the next one end where the totals begin
    var next = target.nextElementSibling;
    var extra = next && next.classList.contains("lesson-col") ? next.offsetWidth : 0;
    var end = target.offsetLeft + target.offsetWidth + extra;
    wrap.scrollLeft = Math.max(0, end - (wrap.clientWidth - totals));
  }

  var totals = totalsWidth();
  scrollToToday(totals);
  window.addEventListener("resize", function () { totalsWidth(); });
})();
