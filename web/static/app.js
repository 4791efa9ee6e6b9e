// ansokan web inbox: live rows (Server-Sent Events) and the upload's drag
// and drop with progress. The pages work without it.
"use strict";

(function () {
  var live = document.getElementById("live");
  function say(text) { if (live) { live.textContent = text; } }

  // Inkorg: a new or changed row arrives as its rendered <tr>.
  var table = document.getElementById("inbox-rows");
  if (table && window.EventSource) {
    var es = new EventSource("/events");
    es.addEventListener("row", function (ev) {
      var msg = JSON.parse(ev.data);
      var tpl = document.createElement("template");
      tpl.innerHTML = msg.html.trim();
      var row = tpl.content.firstElementChild;
      if (!row) { return; }
      var old = document.getElementById(row.id);
      var first = table.firstElementChild;
      if (first && !first.id) { first.remove(); first = null; } // the "no submissions" row
      if (old) { old.replaceWith(row); } else { table.insertBefore(row, table.firstElementChild); }
      say(msg.announce);
    });
    es.addEventListener("remove", function (ev) {
      var msg = JSON.parse(ev.data);
      var old = document.getElementById(msg.key);
      if (old) { old.remove(); say(msg.announce); }
    });
  }

  // Ladda upp: the drop zone is a button that opens the file dialog, and
  // takes files dropped on it.
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var chosen = document.getElementById("chosen");
  var bar = document.getElementById("progress");
  var dropped = null;
  function show(files) {
    var names = [];
    for (var i = 0; i < files.length; i++) { names.push(files[i].name); }
    chosen.textContent = names.length ? "Valda filer: " + names.join(", ") : "";
    say(chosen.textContent);
  }
  zone.hidden = false;
  zone.addEventListener("click", function () { input.click(); });
  input.addEventListener("change", function () { dropped = null; show(input.files); });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { dropped = e.dataTransfer.files; show(dropped); });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var files = dropped || input.files;
    if (!files || !files.length) { say("Välj minst en fil."); return; }
    var data = new FormData();
    data.append("csrf", form.elements.csrf.value);
    for (var i = 0; i < files.length; i++) { data.append("files", files[i], files[i].name); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf.value);
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        var pct = Math.round(100 * ev.loaded / ev.total);
        bar.value = pct;
        bar.textContent = pct + " %";
        if (pct % 25 === 0) { say("Uppladdat " + pct + " %"); }
      }
    });
    xhr.addEventListener("load", function () {
      var res = {};
      try { res = JSON.parse(xhr.responseText); } catch (err) { res = { error: xhr.responseText }; }
      if (xhr.status >= 300 || res.error) { say(res.error || "Uppladdningen misslyckades."); return; }
      say("Filerna är mottagna. Ansökan läses nu.");
      poll(res.status_url);
    });
    xhr.addEventListener("error", function () { say("Uppladdningen avbröts. Försök igen."); });
    xhr.send(data);
  });

  function poll(url) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.addEventListener("load", function () {
      var st = {};
      try { st = JSON.parse(xhr.responseText); } catch (err) { st = {}; }
      if (st.record_url) { window.location.assign(st.record_url); return; }
      if (st.failed) { say("Ansökan kunde inte läsas: " + st.step); return; }
      say("Status: " + (st.step || "väntar"));
      window.setTimeout(function () { poll(url); }, 1000);
    });
    xhr.send();
  }
})();
