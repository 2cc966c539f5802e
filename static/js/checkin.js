// The door, improved: continuous camera scanning with jsQR (any browser with
// a camera, no BarcodeDetector needed), check-ins sent as JSON to the sync
// endpoint, the list's door data kept in IndexedDB so scanning and search
// go on offline, a queue of local check-ins sent when the network is back,
// and other devices' check-ins fetched every few seconds. Without this
// script the page works with its forms.
(function () {
  "use strict";
  var app = document.getElementById("checkin-app");
  if (!app || !window.fetch || !window.indexedDB || !window.Promise) {
    return;
  }
  var d = app.dataset;
  var base = d.base, listID = parseInt(d.list, 10), csrf = d.csrf;
  var resultBox = document.getElementById("checkin-result");
  var net = document.getElementById("checkin-net");
  var progressText = document.getElementById("checkin-progress-text");
  var bar = document.getElementById("checkin-bar");
  var form = document.getElementById("checkin-form");
  var field = document.getElementById("f-code");
  var search = document.getElementById("checkin-search");
  var searchField = document.getElementById("f-q");
  var peopleBox = document.getElementById("checkin-people");

  var people = [];      // this list's door data
  var byQR = {}, byCode = {}, byID = {};
  var queue = [];       // local check-ins not yet answered by the server
  var since = "";       // changes.json cursor
  var counts = null;
  var dbp = openDB();
  var device = deviceID();
  var seq = Date.now();

  function t(key, vars) {
    var s = d["t" + key] || "";
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }

  function deviceID() {
    var k = "agora.door.device", v = null;
    try { v = window.localStorage.getItem(k); } catch (e) { /* private mode */ }
    if (!v) {
      v = "dev-" + Math.random().toString(36).slice(2, 12);
      try { window.localStorage.setItem(k, v); } catch (e) { /* kept for this page only */ }
    }
    return v;
  }

  // --- IndexedDB: one record per list, and the queue -----------------------
  function openDB() {
    return new Promise(function (resolve, reject) {
      var r = window.indexedDB.open("agora-door", 1);
      r.onupgradeneeded = function () {
        r.result.createObjectStore("lists", { keyPath: "list" });
        r.result.createObjectStore("queue", { keyPath: "local" });
      };
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function store(name, mode, fn) {
    return dbp.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var out = fn(tx.objectStore(name));
        tx.oncomplete = function () { resolve(out && out.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function clearAll() {
    return Promise.all([store("lists", "readwrite", function (s) { s.clear(); }),
      store("queue", "readwrite", function (s) { s.clear(); })]);
  }

  function setPeople(ps) {
    people = ps;
    byQR = {}; byCode = {}; byID = {};
    ps.forEach(function (p) {
      byQR[p.qr] = p; byCode[p.code.toUpperCase()] = p; byID[p.id] = p;
      var order = p.code.replace(/-\d+$/, "").toUpperCase();
      byCode[order] = byCode[order] ? "many" : p;
    });
  }

  function loadPeople() {
    return fetch(base + "/people.json?list=" + listID, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (r.status === 401 || r.status === 403 || (r.ok && !json)) {
          // Signed out (the sign-in page came back): nothing stays here.
          return clearAll().then(function () { throw new Error("signed out"); });
        }
        if (!r.ok) { throw new Error("http " + r.status); }
        return r.json();
      })
      .then(function (data) {
        setPeople(data.people || []);
        setCounts(data.counts);
        if (!since) { since = data.now; }
        return store("lists", "readwrite", function (s) { s.put({ list: listID, day: data.day, people: people, counts: data.counts, at: data.now }); });
      })
      .catch(function () {
        return store("lists", "readonly", function (s) { return s.get(listID); }).then(function (rec) {
          if (rec && people.length === 0) { setPeople(rec.people); setCounts(rec.counts); }
        });
      });
  }

  function savePeople() {
    return store("lists", "readwrite", function (s) { s.put({ list: listID, people: people, counts: counts, at: since }); });
  }

  // --- counts and network state --------------------------------------------
  function setCounts(c) {
    if (!c) { return; }
    counts = c;
    progressText.textContent = t("Progress", { "in": c["in"], total: c.expected });
    if (bar) { bar.max = Math.max(c.expected, 1); bar.value = c["in"]; bar.textContent = Math.round(100 * c["in"] / Math.max(c.expected, 1)) + "%"; }
  }
  function localCountIn(p, delta) {
    if (counts && p) { counts["in"] = Math.max(0, counts["in"] + delta); setCounts(counts); }
  }
  function showNet() {
    var waiting = queue.length;
    if (!navigator.onLine) {
      net.textContent = t("Offline", { n: waiting });
      net.className = "checkin-net checkin-net-offline";
      net.hidden = false;
    } else if (waiting > 0) {
      net.textContent = t("Waiting", { n: waiting });
      net.className = "checkin-net";
      net.hidden = false;
    } else {
      net.hidden = true;
    }
  }

  // --- feedback: colour, sound, vibration -----------------------------------
  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = { ok: [[880, 0.12]], already: [[520, 0.12], [0, 0.08], [520, 0.12]], bad: [[200, 0.45]] }[kind];
      var at = audio.currentTime;
      tones.forEach(function (tn) {
        if (tn[0]) {
          var o = audio.createOscillator(), g = audio.createGain();
          o.frequency.value = tn[0]; o.type = kind === "bad" ? "square" : "sine";
          g.gain.value = 0.2;
          o.connect(g); g.connect(audio.destination);
          o.start(at); o.stop(at + tn[1]);
        }
        at += tn[1];
      });
    } catch (e) { /* no sound: colour and text still say it */ }
    if (navigator.vibrate) {
      navigator.vibrate({ ok: [80], already: [80, 60, 80], bad: [400] }[kind]);
    }
  }

  function clock(iso) {
    var dt = new Date(iso);
    return ("0" + dt.getHours()).slice(-2) + ":" + ("0" + dt.getMinutes()).slice(-2);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function flags(p) {
    var ul = el("ul", "chips checkin-needs");
    if (p.step_free) { ul.appendChild(el("li", "", t("Stepfree"))); }
    if (p.companion) { ul.appendChild(el("li", "", t("Companion"))); }
    if (p.no_photos) { ul.appendChild(el("li", "checkin-nophotos", t("Nophotos"))); }
    return ul.children.length ? ul : null;
  }

  // undoForm lets staff take back the check-in just shown (the server's
  // form, so it works as without the script).
  function undoForm(checkinID) {
    var f = el("form", "inline");
    f.method = "post"; f.action = base + "/undo";
    [["_csrf", csrf], ["list", String(listID)], ["checkin", String(checkinID)]].forEach(function (kv) {
      var i = el("input"); i.type = "hidden"; i.name = kv[0]; i.value = kv[1]; f.appendChild(i);
    });
    var b = el("button", "secondary", t("Undo")); b.type = "submit";
    f.appendChild(b);
    return f;
  }

  // show renders a verdict: kind ok / already / bad; who says by whom or
  // on which device the person was let in first.
  function show(kind, verdict, p, who) {
    var card = el("div", "checkin-card " + { ok: "checkin-ok", already: "checkin-repeat", bad: "checkin-problem" }[kind]);
    card.setAttribute("data-result", kind);
    card.appendChild(el("p", "checkin-verdict", verdict));
    if (p) {
      card.appendChild(el("p", "checkin-name", p.name));
      card.appendChild(el("p", "", [p.org, p.ticket, p.code].filter(Boolean).join(" · ")));
      var f = flags(p);
      if (f) { card.appendChild(f); }
      if (who) { card.appendChild(el("p", "checkin-who", who)); }
      if (p.checkin_id && navigator.onLine) { card.appendChild(undoForm(p.checkin_id)); }
    }
    resultBox.innerHTML = "";
    resultBox.appendChild(card);
    beep(kind);
  }

  function verdictFor(result, p, at) {
    switch (result) {
      case "checked_in": return ["ok", t("Ok")];
      case "already": return ["already", t("Already", { time: at ? clock(at) : "" })];
      case "not_for_list": return ["bad", t("Notlist")];
      case "cancelled": case "not_confirmed": return ["bad", t("Cancelled")];
      default: return ["bad", t("Unknown")];
    }
  }

  // --- check-ins: local first, then the server --------------------------------
  function sha256hex(s) {
    if (!window.crypto || !window.crypto.subtle) { return Promise.resolve(""); }
    return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  }

  function findLocal(code) {
    return sha256hex(code).then(function (h) {
      var p = byQR[h] || byCode[code.toUpperCase()];
      return p === "many" ? null : p || null;
    });
  }

  // checkIn handles a scanned or typed code, or an attendee picked from the
  // search (item.attendee). The verdict shown comes from the server when it
  // answers, else from the list held here.
  function checkIn(item) {
    item.local = String(seq++);
    item.device = device;
    item.list = listID;
    item.at = new Date().toISOString();
    var lookup = item.attendee ? Promise.resolve(byID[item.attendee] || null) : findLocal(item.qr);
    return lookup.then(function (p) {
      if (p) { item.attendee_hint = p.id; }
      if (p && !p.in_at) { p.in_at = item.at; p.in_device = device; localCountIn(p, 1); }
      else if (p) { p.already = true; }
      queue.push(item);
      return store("queue", "readwrite", function (s) { s.put(item); }).then(function () {
        showNet();
        return flush().then(function (answered) {
          if (answered[item.local]) { return; }
          // Not sent (offline): say what the list held here knows.
          if (!p) { show("bad", t("Unknown"), null); } else if (p.already) { show("already", t("Already", { time: clock(p.in_at) }), p); } else { show("ok", t("Ok"), p); }
          delete (p || {}).already;
          savePeople();
        });
      });
    });
  }

  var flushing = null;
  function flush() {
    if (flushing) { return flushing.then(function () { return {}; }); }
    if (!queue.length || !navigator.onLine) { showNet(); return Promise.resolve({}); }
    var batch = queue.slice(0, 100).map(function (it) {
      return { device: it.device, local: it.local, qr: it.qr || "", attendee: it.attendee || 0, list: it.list, at: it.at };
    });
    var answered = {};
    flushing = fetch(base + "/sync", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: JSON.stringify({ device: device, items: batch })
    }).then(function (r) {
      if (!r.ok) { throw new Error("http " + r.status); }
      return r.json();
    }).then(function (data) {
      var last = null;
      (data.results || []).forEach(function (a) {
        answered[a.local] = true;
        queue = queue.filter(function (it) { return it.local !== a.local; });
        var p = a.person && byID[a.person.id];
        if (p) { p.in_at = a.at || p.in_at; p.checkin_id = a.person.checkin_id; }
        last = a;
      });
      return store("queue", "readwrite", function (s) { batch.forEach(function (it) { s["delete"](it.local); }); }).then(function () {
        if (batch.length === 1 && last) {
          var v = verdictFor(last.result, last.person, last.at);
          var who = last.result === "already" ? [last.by, last.device].filter(Boolean).join(" · ") : "";
          show(v[0], v[1], last.person && (byID[last.person.id] || last.person), who);
        }
        savePeople();
      });
    }).catch(function () { /* stays queued */ }).then(function () {
      flushing = null;
      showNet();
      if (queue.length && navigator.onLine && Object.keys(answered).length) { return flush(); }
    }).then(function () { return answered; });
    return flushing;
  }

  function loadQueue() {
    return store("queue", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      // Every list's waiting check-ins go: each item names its own list.
      queue = items || [];
      showNet();
    });
  }

  // --- other devices --------------------------------------------------------
  function poll() {
    if (!navigator.onLine || !since) { return; }
    fetch(base + "/changes.json?list=" + listID + "&since=" + encodeURIComponent(since), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        (data.changes || []).forEach(function (ch) {
          var p = byID[ch.id];
          if (!p) { return; }
          if (ch.undone) { if (p.checkin_id === ch.checkin_id) { delete p.in_at; delete p.checkin_id; } }
          else { p.in_at = ch.in_at; p.checkin_id = ch.checkin_id; p.in_device = ch.in_device; }
        });
        since = data.next;
        setCounts(data.counts);
        savePeople();
      }).catch(function () { /* next time */ });
  }

  // --- the code form and the search -----------------------------------------
  form.addEventListener("submit", function (ev) {
    var code = field.value.trim();
    if (!code) { return; }
    ev.preventDefault();
    field.value = "";
    checkIn({ qr: code });
    field.focus();
  });

  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function renderSearch(q) {
    q = fold(q);
    if (q.length < 2) { return; }
    var hits = people.filter(function (p) {
      return fold(p.name).indexOf(q) >= 0 || fold(p.org).indexOf(q) >= 0 || p.code.toLowerCase().indexOf(q) >= 0;
    }).slice(0, 20);
    peopleBox.innerHTML = "";
    if (!hits.length) { peopleBox.appendChild(el("p", "", t("Noresults"))); return; }
    var ul = el("ul", "checkin-people");
    hits.forEach(function (p) {
      var li = el("li", "checkin-person");
      li.appendChild(el("p", "checkin-person-name", p.name));
      li.appendChild(el("p", "", [p.org, p.ticket, p.code].filter(Boolean).join(" · ")));
      var f = flags(p);
      if (f) { li.appendChild(f); }
      if (p.in_at) { li.appendChild(el("p", "", t("InSince", { time: clock(p.in_at) }))); }
      var b = el("button", "", t("Checkin"));
      b.type = "button";
      b.addEventListener("click", function () { checkIn({ attendee: p.id }).then(function () { renderSearch(searchField.value); }); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    peopleBox.appendChild(ul);
  }
  searchField.addEventListener("input", function () { renderSearch(searchField.value); });
  search.addEventListener("submit", function (ev) {
    // Online, the server also searches e-mail addresses (not held here).
    if (!navigator.onLine) { ev.preventDefault(); renderSearch(searchField.value); }
  });

  // --- camera: jsQR on video frames, a few times a second --------------------
  var box = document.getElementById("checkin-camera");
  var canvas = document.createElement("canvas");
  var ctx2d = canvas.getContext("2d", { willReadFrequently: true });
  function decodeImage(img) {
    if (!window.jsQR) { return null; }
    var hit = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
    return hit && hit.data ? hit.data.trim() : null;
  }
  function decodeAt(src, w, h, scale) {
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    ctx2d.imageSmoothingEnabled = true; ctx2d.imageSmoothingQuality = "high";
    ctx2d.drawImage(src, 0, 0, canvas.width, canvas.height);
    return decodeImage(ctx2d.getImageData(0, 0, canvas.width, canvas.height));
  }
  // A noisy frame that does not read at full size often reads at a smaller
  // one, where smoothing averages the speckle away.
  function decodeSource(src, w, h) {
    var scale = Math.min(1, 800 / Math.max(w, h));
    return decodeAt(src, w, h, scale) || decodeAt(src, w, h, scale * 0.6);
  }
  if (box && window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var toggle = document.getElementById("checkin-camera-toggle");
    var video = document.getElementById("checkin-video");
    var msg = document.getElementById("checkin-camera-msg");
    var stream = null, lastCode = "", lastAt = 0, timer = null;
    var stop = function () {
      if (stream) { stream.getTracks().forEach(function (tr) { tr.stop(); }); }
      stream = null; video.hidden = true; toggle.textContent = box.dataset.start;
      window.clearTimeout(timer);
    };
    var scan = function () {
      if (!stream) { return; }
      if (video.readyState >= 2 && video.videoWidth) {
        var code = decodeSource(video, video.videoWidth, video.videoHeight);
        var now = Date.now();
        // The same ticket held in front of the camera counts once.
        if (code && (code !== lastCode || now - lastAt > 4000)) {
          lastCode = code; lastAt = now;
          checkIn({ qr: code });
        } else if (code) { lastAt = now; }
      }
      timer = window.setTimeout(scan, 200);
    };
    box.hidden = false;
    toggle.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false;
        toggle.textContent = box.dataset.stop; msg.textContent = "";
        return video.play();
      }).then(scan).catch(function () { stop(); msg.textContent = box.dataset.denied; });
    });
  }

  // For tests and for a picture of a ticket: decode a canvas or image data.
  window.agoraDoor = {
    decode: function (src) {
      if (src && src.data && src.width) { return decodeImage(src); }
      return decodeSource(src, src.width, src.height);
    },
    checkIn: function (code) { return checkIn({ qr: code }); },
    queued: function () { return queue.length; },
    flush: flush,
    ready: null
  };

  // --- start ---------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(base + "-sw.js", { scope: base }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      // Keep the page and its own scripts and styles for an offline reload.
      var urls = [window.location.pathname + window.location.search];
      Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet]"), function (n) { urls.push(n.getAttribute("src") || n.getAttribute("href")); });
      if (reg.active) { reg.active.postMessage({ cache: urls }); }
    }).catch(function () { /* no offline reload; the page still works */ });
  }
  window.agoraDoor.ready = loadQueue().then(loadPeople).then(flush);
  window.addEventListener("online", function () { showNet(); loadPeople().then(flush); });
  window.addEventListener("offline", showNet);
  window.setInterval(function () { flush(); poll(); }, 4000);
})();
