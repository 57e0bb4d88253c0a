/* The grid worker's field app: reports are written to IndexedDB first (the outbox), then sent
   one by one to the sync URL when the network is there. Each report gets its key when it is
   written (crypto.randomUUID), so sending it again — a lost answer, a second tab, a replayed
   sync — finds the finding already recorded on the server: it is recorded once.
   No library: IndexedDB, fetch, geolocation and MediaRecorder are the browser's own. */
"use strict";
(function () {
  const root = document.getElementById("field-app");
  if (!root) return;
  const T = JSON.parse(document.getElementById("field-texts").textContent);
  const syncUrl = root.dataset.syncUrl;
  const csrf = root.dataset.csrf;
  const form = document.getElementById("field-form");
  const statusEl = document.getElementById("field-status");
  const queueEl = document.getElementById("field-queue");
  const netEl = document.getElementById("field-network");
  let voiceBlob = null;
  let position = null;
  let syncing = false;

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open("tiaojie-field", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("outbox", { keyPath: "key" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function tx(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const t = db.transaction("outbox", mode);
      const result = work(t.objectStore("outbox"));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    });
  }
  const queued = () => tx("readonly", (s) => s.getAll());
  const put = (report) => tx("readwrite", (s) => s.put(report));
  const drop = (key) => tx("readwrite", (s) => s.delete(key));

  function say(text) { statusEl.textContent = text; }

  async function showQueue() {
    const items = await queued();
    queueEl.textContent = "";
    for (const item of items) {
      const li = document.createElement("li");
      li.dataset.key = item.key;
      li.textContent = item.place + (item.error ? " — " + item.error : " — " + T.waiting);
      queueEl.appendChild(li);
    }
    document.getElementById("field-queue-count").textContent = String(items.length);
    netEl.textContent = navigator.onLine ? T.online : T.offline;
    netEl.dataset.online = navigator.onLine ? "yes" : "no";
  }

  async function sendOne(item) {
    const body = new FormData();
    for (const name of ["round", "place", "people", "what", "risk", "latitude", "longitude"]) {
      if (item[name] !== undefined && item[name] !== null) body.append(name, item[name]);
    }
    body.append("client_key", item.key);
    if (item.photo) body.append("photo", item.photo, "photo" + (item.photoExt || ".jpg"));
    if (item.voice) body.append("voice", item.voice, "voice.webm");
    const response = await fetch(syncUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
    });
    if (response.status === 200 || response.status === 201) return { done: true };
    if (response.status === 422) {
      const data = await response.json();
      const messages = Object.values(data.fields || {}).flat();
      return { done: false, error: messages.join(" ") || data.message };
    }
    // Signed out, a round no longer ours, the server down: keep it and try again later.
    return { done: false, error: T.retry + " (" + response.status + ")" };
  }

  async function sync() {
    if (syncing || !navigator.onLine) { await showQueue(); return; }
    syncing = true;
    try {
      let sent = 0;
      for (const item of await queued()) {
        let outcome;
        try { outcome = await sendOne(item); } catch (e) { outcome = null; }
        if (outcome === null) break; // the network went away: stop, keep the rest
        if (outcome.done) { await drop(item.key); sent += 1; }
        else { item.error = outcome.error; await put(item); }
      }
      if (sent) say(T.sent.replace("%(n)s", String(sent)));
    } finally {
      syncing = false;
      await showQueue();
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const place = String(data.get("place") || "").trim();
    if (!place) {
      say(T.place_required);
      form.elements.place.focus();
      return; // what was typed stays in the form
    }
    const photoFile = form.elements.photo.files[0] || null;
    const report = {
      key: crypto.randomUUID(),
      round: String(data.get("round") || ""),
      place,
      people: String(data.get("people") || ""),
      what: String(data.get("what") || ""),
      risk: String(data.get("risk") || "low"),
      latitude: position ? position.latitude : null,
      longitude: position ? position.longitude : null,
      photo: photoFile,
      photoExt: photoFile && photoFile.name.includes(".") ? photoFile.name.slice(photoFile.name.lastIndexOf(".")) : ".jpg",
      voice: voiceBlob,
      written: new Date().toISOString(),
    };
    await put(report);
    form.reset();
    voiceBlob = null;
    position = null;
    document.getElementById("field-position").textContent = "";
    document.getElementById("field-voice-state").textContent = "";
    say(navigator.onLine ? T.saved_sending : T.saved_offline);
    await sync();
  });

  document.getElementById("field-locate").addEventListener("click", () => {
    if (!navigator.geolocation) { say(T.no_position); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => {
        position = { latitude: p.coords.latitude, longitude: p.coords.longitude };
        document.getElementById("field-position").textContent =
          position.latitude.toFixed(5) + ", " + position.longitude.toFixed(5);
      },
      () => say(T.no_position),
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });

  let recorder = null;
  const voiceButton = document.getElementById("field-voice");
  voiceButton.addEventListener("click", async () => {
    if (recorder && recorder.state === "recording") { recorder.stop(); return; }
    if (!navigator.mediaDevices || !window.MediaRecorder) { say(T.no_voice); return; }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.onstop = () => {
        voiceBlob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
        stream.getTracks().forEach((t) => t.stop());
        voiceButton.textContent = T.record;
        document.getElementById("field-voice-state").textContent = T.voice_kept;
      };
      recorder.start();
      voiceButton.textContent = T.stop;
    } catch (e) {
      say(T.no_voice);
    }
  });

  document.getElementById("field-sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.addEventListener("offline", showQueue);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.worker, { scope: root.dataset.scope }).catch(() => {});
  }
  sync();
})();
