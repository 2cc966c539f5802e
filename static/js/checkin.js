// Door check-in: scan a ticket's QR code with the camera and send the form.
// Only where the browser has getUserMedia and BarcodeDetector with QR
// support; everywhere else the page works as it is, by typing the code.
(function () {
  "use strict";
  var box = document.getElementById("checkin-camera");
  var form = document.getElementById("checkin-form");
  var field = document.getElementById("f-code");
  if (!box || !form || !field || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var toggle = document.getElementById("checkin-camera-toggle");
  var video = document.getElementById("checkin-video");
  var msg = document.getElementById("checkin-camera-msg");
  var stream = null;
  var detector = null;
  var sent = false;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
    }
    stream = null;
    video.hidden = true;
    toggle.textContent = box.dataset.start;
  }

  function scan() {
    if (!stream || sent) {
      return;
    }
    detector.detect(video).then(function (codes) {
      var hit = codes.find(function (c) { return c.rawValue && c.rawValue.trim() !== ""; });
      if (hit) {
        sent = true;
        field.value = hit.rawValue.trim();
        stop();
        form.submit();
        return;
      }
      window.requestAnimationFrame(scan);
    }).catch(function () {
      window.setTimeout(scan, 250);
    });
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      toggle.textContent = box.dataset.stop;
      msg.textContent = "";
      return video.play();
    }).then(scan).catch(function () {
      stop();
      msg.textContent = box.dataset.denied;
    });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) {
      return;
    }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    box.hidden = false;
    toggle.addEventListener("click", function () {
      if (stream) {
        stop();
      } else {
        start();
      }
    });
  }).catch(function () { /* no scanner: typing still works */ });
})();
