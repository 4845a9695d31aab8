// The bandwidth check (readiness/bandwidth.html): times a download and an upload of random
// bytes from the Setka server, shows the speeds and, for the institution's administrators,
// records them with the answers. No inline script: everything hangs on data- attributes.
(function () {
  "use strict";
  var root = document.getElementById("bandwidth-check");
  if (!root || !window.fetch || !window.performance) return;
  var start = document.getElementById("bandwidth-start");
  var status = document.getElementById("bandwidth-status");
  var text = function (key) { return root.getAttribute("data-text-" + key) || ""; };
  var csrf = function () {
    var holder = document.body.getAttribute("hx-headers");
    try { return JSON.parse(holder)["X-CSRFToken"]; } catch (e) { return ""; }
  };
  var mbps = function (bytes, ms) { return ms > 0 ? (bytes * 8) / (ms / 1000) / 1e6 : 0; };
  var round = function (value) { return Math.round(value * 10) / 10; };
  var say = function (message) { status.textContent = message; };

  function download(sizeMb) {
    var t0 = performance.now();
    return fetch(root.getAttribute("data-download") + "?size=" + sizeMb + "&t=" + Date.now(), {
      cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("download " + response.status);
      return response.arrayBuffer();
    }).then(function (body) {
      return { bytes: body.byteLength, ms: performance.now() - t0 };
    });
  }

  function randomBlob(bytes) {
    var parts = [], chunk = 65536;
    for (var done = 0; done < bytes; done += chunk) {
      var part = new Uint8Array(Math.min(chunk, bytes - done));
      window.crypto.getRandomValues(part);
      parts.push(part);
    }
    return new Blob(parts, { type: "application/octet-stream" });
  }

  function upload(sizeMb) {
    var blob = randomBlob(Math.floor(sizeMb * 1024 * 1024));
    var t0 = performance.now();
    return fetch(root.getAttribute("data-upload"), {
      method: "POST", body: blob, cache: "no-store", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Content-Type": "application/octet-stream" }
    }).then(function (response) {
      if (!response.ok) throw new Error("upload " + response.status);
      return response.json();
    }).then(function () {
      return { bytes: blob.size, ms: performance.now() - t0 };
    });
  }

  function latency() {
    var samples = [], chain = Promise.resolve();
    for (var i = 0; i < 5; i++) {
      chain = chain.then(function () {
        return download(0).then(function (r) { samples.push(r.ms); });
      });
    }
    return chain.then(function () {
      samples.sort(function (a, b) { return a - b; });
      return samples[Math.floor(samples.length / 2)];
    });
  }

  // A first small transfer sizes the real one to last a few seconds on this link.
  function measure(probe, run, limitMb) {
    return probe(1).then(function (first) {
      var speed = mbps(first.bytes, first.ms);
      var size = Math.max(1, Math.min(limitMb, Math.round((speed * 4) / 8)));
      return size <= 1 ? first : run(size);
    });
  }

  function record(result) {
    var url = root.getAttribute("data-record");
    if (!url) return Promise.resolve(null);
    say(text("saving"));
    var body = new URLSearchParams();
    body.set("download_mbps", result.down);
    body.set("upload_mbps", result.up);
    body.set("latency_ms", result.latency);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(text("not-saved") + " " + JSON.stringify(data.errors || data));
        return data.message;
      });
    });
  }

  function show(id, value) { document.getElementById(id).textContent = value; }

  start.disabled = false;
  say("");
  start.addEventListener("click", function () {
    var limit = Math.max(1, parseInt(root.getAttribute("data-upload-limit"), 10) - 1 || 8);
    var result = {};
    start.disabled = true;
    document.getElementById("bandwidth-results").hidden = false;
    say(text("latency"));
    latency().then(function (ms) {
      result.latency = Math.round(ms);
      show("bandwidth-latency", result.latency);
      say(text("download"));
      return measure(download, download, 25);
    }).then(function (down) {
      result.down = round(mbps(down.bytes, down.ms));
      show("bandwidth-down", result.down);
      say(text("upload"));
      return measure(upload, upload, limit);
    }).then(function (up) {
      result.up = round(mbps(up.bytes, up.ms));
      show("bandwidth-up", result.up);
      return record(result);
    }).then(function (message) {
      say(message || text("done"));
    }).catch(function (error) {
      say(error && error.message && error.message.indexOf(text("not-saved")) === 0
        ? error.message : text("failed"));
    }).then(function () { start.disabled = false; });
  });
})();
