// The journal on a phone: one lesson, the students as a list, big buttons. Each tap changes
// the student's cell text ("Н 5") and saves it through the grid's endpoint (journal:cell).
// A deletion offers an undo; an older mark asks a reason first. No inline scripts (CSP).
(function () {
  "use strict";

  var list = document.getElementById("phone-entry");
  if (!list) return;
  var i18n = document.getElementById("journal-i18n");
  var t = i18n ? i18n.dataset : {};
  var alertBox = document.getElementById("grid-alert");
  var undoBox = document.getElementById("grid-undo");
  var dialog = document.getElementById("reason-dialog");
  var ATTENDANCE = ["Н", "Б", "УП", "ОП"];

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function showAlert(message) {
    if (!alertBox) return;
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  function tokens(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function apply(text, token, action) {
    var parts = tokens(text);
    if (action === "back") {
      parts.pop();
    } else if (ATTENDANCE.indexOf(token) >= 0) {
      var had = parts[0] === token;
      parts = parts.filter(function (p) { return ATTENDANCE.indexOf(p) < 0; });
      if (!had) parts.unshift(token); // a second tap on Н takes it back
    } else {
      parts.push(token);
    }
    return parts.join(" ");
  }

  function post(url, form) {
    return fetch(url, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function show(li, text) {
    li.dataset.text = text;
    li.querySelector(".phone-text").textContent = text;
  }

  function offerUndo(li, ids) {
    if (!undoBox) return;
    undoBox.querySelector("span").textContent =
      (t.deleted || "") + " " + li.querySelector(".phone-name").textContent;
    undoBox.hidden = false;
    window.setTimeout(function () { undoBox.hidden = true; }, 8000);
    undoBox.querySelector("button").onclick = function () {
      undoBox.hidden = true;
      var form = new URLSearchParams();
      ids.forEach(function (id) { form.append("mark", id); });
      post(list.dataset.undoUrl, form).then(function (res) {
        if (res.data.ok) show(li, res.data.text);
        else showAlert(res.data.error);
      });
    };
  }

  function save(li, text, reason) {
    var before = li.dataset.text;
    var form = new URLSearchParams();
    form.set("lesson", list.dataset.lesson);
    form.set("student", li.dataset.student);
    form.set("text", text);
    if (reason) form.set("reason", reason);
    show(li, text);
    li.classList.add("saving");
    li.setAttribute("aria-busy", "true");
    post(list.dataset.cellUrl, form)
      .then(function (res) {
        li.classList.remove("saving");
        li.removeAttribute("aria-busy");
        if (res.data.ok) {
          show(li, res.data.text);
          showAlert("");
          if (res.data.deleted && res.data.deleted.length) offerUndo(li, res.data.deleted);
        } else if (res.data.code === "reason_required" && dialog && dialog.showModal) {
          show(li, before);
          askReason(li, text, res.data.error);
        } else {
          show(li, before);
          showAlert(li.querySelector(".phone-name").textContent + ": " + (res.data.error || ""));
        }
      })
      .catch(function () {
        li.classList.remove("saving");
        li.removeAttribute("aria-busy");
        show(li, before);
        showAlert(t.offline || "");
      });
  }

  function askReason(li, text, message) {
    var input = dialog.querySelector("input[name=reason]");
    dialog.querySelector(".reason-message").textContent = message;
    input.value = "";
    dialog.returnValue = "";
    dialog.onclose = function () {
      var reason = input.value.trim();
      if (dialog.returnValue === "ok" && reason) save(li, text, reason);
    };
    dialog.showModal();
    input.focus();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var li = button.closest("li.phone-student");
    if (!li || li.classList.contains("saving")) return;
    var text = apply(li.dataset.text, button.dataset.token, button.dataset.action);
    if (text !== li.dataset.text) save(li, text);
  });
})();
