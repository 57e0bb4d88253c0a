/* Signing pad for the agreement (tiaojie.public, /m/…/sign/): draw with a finger, mouse or
   pen on the canvas; on submit the drawing goes into the hidden field as a PNG data URL.
   Plain JavaScript, no library, no inline script (CSP script-src 'self'). A drawing already
   sent (the code was wrong) is drawn back so nothing is lost. */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas) { return; }
  var form = canvas.closest("form");
  var field = form.querySelector("input[data-signature]");
  var clear = document.getElementById("signature-clear");
  var ctx = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;

  function fit() {
    // Sharp lines on high-density screens: the bitmap follows the displayed size.
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 0.1, p.y + 0.1);
    ctx.stroke();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  if (clear) {
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      field.value = "";
    });
  }

  form.addEventListener("submit", function () {
    if (drawn) { field.value = canvas.toDataURL("image/png"); }
  });

  fit();
  if (field.value && field.value.indexOf("data:image/png;base64,") === 0) {
    var image = new Image();
    image.onload = function () {
      ctx.drawImage(image, 0, 0, canvas.clientWidth, canvas.clientHeight);
      drawn = true;
    };
    image.src = field.value;
  }
})();
