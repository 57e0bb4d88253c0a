/* Video mediation: the browsers of the mediator and the parties meet by WebRTC.
 *
 * What passes through the server is only how to reach each other (offers, answers, network
 * candidates), polled once a second from the room's poll address; the sound and pictures go
 * browser to browser. Every pair of participants gets one connection: when someone arrives
 * they say hello to all; of each pair, the one with the lower seat number makes the offer.
 * Recording (the mediator's page only) draws every picture onto one canvas and mixes every
 * voice, records that with MediaRecorder, and sends the file to be kept with the case file:
 * the server refuses it unless everyone who joined has agreed on their own screen.
 */
(function () {
  "use strict";
  var root = document.getElementById("video-room");
  if (!root) { return; }
  var text = function (key) { return root.dataset["t" + key] || ""; };
  var statusEl = root.querySelector("[data-status]");
  var localVideo = root.querySelector("[data-local]");
  var remotes = root.querySelector("[data-remotes]");
  var people = root.querySelector("[data-people]");
  var consentButton = root.querySelector("[data-consent-button]");
  var recordButton = root.querySelector("[data-record]");
  var stopButton = root.querySelector("[data-stop]");
  var note = root.querySelector("[data-record-note]");

  var me = null;
  var after = null;
  var iceServers = [];
  var localStream = null;
  var closed = false;
  var recorder = null;
  var recordingAllowed = false;
  var labels = {};
  var peers = {};

  // For the browser test and for support staff reading the console: who is connected.
  window.tiaojieVideo = {
    state: function () {
      return Object.keys(peers).map(function (id) {
        var p = peers[id];
        return { id: Number(id), connection: p.pc.connectionState, width: p.video.videoWidth };
      });
    }
  };

  function request(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-CSRFToken": root.dataset.csrf }, options.headers || {});
    return fetch(url, options);
  }

  function send(kind, payload, to) {
    return request(root.dataset.signal, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: kind, payload: payload, to: to === undefined ? null : to })
    });
  }

  function setStatus(message) { statusEl.textContent = message; }

  function peer(id) {
    if (peers[id]) { return peers[id]; }
    var pc = new RTCPeerConnection({ iceServers: iceServers });
    var figure = document.createElement("figure");
    figure.className = "video-tile";
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.dataset.remote = String(id);
    var caption = document.createElement("figcaption");
    caption.textContent = labels[id] || "";
    figure.appendChild(video);
    figure.appendChild(caption);
    remotes.appendChild(figure);
    var p = { pc: pc, video: video, figure: figure, caption: caption, pending: [], stream: null };
    peers[id] = p;
    localStream.getTracks().forEach(function (track) { pc.addTrack(track, localStream); });
    pc.onicecandidate = function (event) {
      if (event.candidate) { send("candidate", event.candidate.toJSON(), id); }
    };
    pc.ontrack = function (event) {
      p.stream = event.streams[0];
      video.srcObject = event.streams[0];
    };
    pc.onconnectionstatechange = function () {
      if (pc.connectionState === "failed" || pc.connectionState === "closed") { drop(id); }
      showConnection();
    };
    return p;
  }

  function drop(id) {
    var p = peers[id];
    if (!p) { return; }
    delete peers[id];
    p.pc.close();
    p.figure.remove();
  }

  function call(id) {
    var p = peer(id);
    return p.pc.createOffer().then(function (offer) {
      return p.pc.setLocalDescription(offer).then(function () {
        return send("offer", { type: offer.type, sdp: offer.sdp }, id);
      });
    });
  }

  function flush(p) {
    var waiting = p.pending;
    p.pending = [];
    waiting.forEach(function (candidate) { p.pc.addIceCandidate(candidate); });
  }

  function onSignal(signal) {
    var from = signal.from;
    if (signal.kind === "hello") {
      // Someone (re)arrived: forget any old connection to them; the lower seat calls.
      drop(from);
      if (me < from) { return call(from); }
      if (signal.to === null) { return send("hello", null, from); }
      return Promise.resolve();
    }
    if (signal.kind === "offer") {
      drop(from);
      var p = peer(from);
      return p.pc.setRemoteDescription(signal.payload).then(function () {
        flush(p);
        return p.pc.createAnswer();
      }).then(function (answer) {
        return p.pc.setLocalDescription(answer).then(function () {
          return send("answer", { type: answer.type, sdp: answer.sdp }, from);
        });
      });
    }
    if (signal.kind === "answer" && peers[from]) {
      var q = peers[from];
      return q.pc.setRemoteDescription(signal.payload).then(function () { flush(q); });
    }
    if (signal.kind === "candidate" && peers[from]) {
      var r = peers[from];
      if (r.pc.remoteDescription) { return r.pc.addIceCandidate(signal.payload); }
      r.pending.push(signal.payload);
    }
    if (signal.kind === "bye") { drop(from); }
    return Promise.resolve();
  }

  function showConnection() {
    if (closed) { return; }
    var ids = Object.keys(peers);
    var connected = ids.some(function (id) { return peers[id].pc.connectionState === "connected"; });
    setStatus(connected ? text("Connected") : (ids.length ? text("Connecting") : text("Waiting")));
  }

  function showPeople(state) {
    people.textContent = "";
    state.participants.forEach(function (person) {
      labels[person.id] = person.label;
      if (peers[person.id]) { peers[person.id].caption.textContent = person.label; }
      var item = document.createElement("li");
      item.dataset.participant = String(person.id);
      item.dataset.consented = person.consented ? "yes" : "no";
      item.textContent = person.label + "：" + (person.present ? text("Present") : text("Absent")) +
        "，" + (person.consented ? text("Consented") : text("NotConsented"));
      people.appendChild(item);
      if (person.id === me && person.consented) {
        consentButton.disabled = true;
        consentButton.textContent = text("Consented");
      }
    });
    recordingAllowed = state.recording_allowed;
    if (recordButton && !recorder) { recordButton.disabled = !recordingAllowed; }
  }

  function poll() {
    if (closed) { return; }
    var first = after === null;
    request(root.dataset.poll + (first ? "" : "?after=" + after)).then(function (response) {
      return response.json();
    }).then(function (state) {
      me = state.me;
      iceServers = state.ice_servers;
      if (state.status !== "open") { return close(); }
      showPeople(state);
      var chain = Promise.resolve();
      if (first) {
        // What was said before we came is stale: start from now, and say hello.
        after = state.last_signal;
        chain = send("hello", null);
      } else {
        state.signals.forEach(function (signal) {
          after = Math.max(after, signal.id);
          chain = chain.then(function () { return onSignal(signal); });
        });
      }
      return chain;
    }).catch(function () { /* the network blinked: the next poll tries again */ })
      .then(function () { showConnection(); window.setTimeout(poll, 1000); });
  }

  function close() {
    closed = true;
    Object.keys(peers).forEach(drop);
    if (localStream) { localStream.getTracks().forEach(function (track) { track.stop(); }); }
    setStatus(text("Closed"));
  }

  // --- Consent and recording ----------------------------------------------------------------

  consentButton.addEventListener("click", function () {
    consentButton.disabled = true;
    request(root.dataset.consent, { method: "POST" }).then(function (response) {
      if (!response.ok) { consentButton.disabled = false; }
    });
  });

  function startRecording() {
    var canvas = document.createElement("canvas");
    canvas.width = 1280;
    canvas.height = 360;
    var context = canvas.getContext("2d");
    var audio = new AudioContext();
    var mix = audio.createMediaStreamDestination();
    var streams = [localStream].concat(Object.keys(peers).map(function (id) { return peers[id].stream; }));
    streams.forEach(function (stream) {
      if (stream && stream.getAudioTracks().length) { audio.createMediaStreamSource(stream).connect(mix); }
    });
    var draw = window.setInterval(function () {
      var videos = [localVideo].concat(Object.keys(peers).map(function (id) { return peers[id].video; }));
      var width = canvas.width / videos.length;
      context.fillStyle = "#000";
      context.fillRect(0, 0, canvas.width, canvas.height);
      videos.forEach(function (video, index) {
        if (video.videoWidth) { context.drawImage(video, index * width, 0, width, canvas.height); }
      });
    }, 100);
    var mixed = new MediaStream(canvas.captureStream(10).getVideoTracks().concat(mix.stream.getAudioTracks()));
    var chunks = [];
    recorder = new MediaRecorder(mixed, { mimeType: "video/webm" });
    recorder.ondataavailable = function (event) { if (event.data.size) { chunks.push(event.data); } };
    recorder.onstop = function () {
      window.clearInterval(draw);
      audio.close();
      note.textContent = text("Saving");
      var form = new FormData();
      form.append("file", new Blob(chunks, { type: "video/webm" }), "recording.webm");
      request(root.dataset.upload, { method: "POST", body: form }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        note.textContent = answer.message;
        note.dataset.saved = answer.ok ? "yes" : "no";
      }).finally(function () {
        recorder = null;
        stopButton.hidden = true;
        recordButton.hidden = false;
        recordButton.disabled = !recordingAllowed;
      });
    };
    recorder.start(1000);
    note.textContent = text("Recording");
    delete note.dataset.saved;
    recordButton.hidden = true;
    stopButton.hidden = false;
  }

  if (recordButton) {
    recordButton.addEventListener("click", startRecording);
    stopButton.addEventListener("click", function () { if (recorder) { recorder.stop(); } });
  }

  window.addEventListener("pagehide", function () {
    if (!closed && me !== null) {
      request(root.dataset.signal, {
        method: "POST",
        keepalive: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kind: "bye", payload: null, to: null })
      });
    }
  });

  navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (stream) {
    localStream = stream;
    localVideo.srcObject = stream;
    poll();
  }).catch(function () { setStatus(text("NoCamera")); });
}());
