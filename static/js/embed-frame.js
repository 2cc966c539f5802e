// Runs inside an embedded Agora page (/embed/...): tells the page that frames
// it how tall the content is, whenever that changes, so the frame can grow
// and shrink with it. The height is all it says, nothing personal, so any
// parent may hear it; static/js/embed.js on the host page checks that the
// message comes from this site before acting on it.
(function () {
  'use strict';
  if (window.parent === window) { return; }
  var last = -1;
  function send() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === last) { return; }
    last = h;
    window.parent.postMessage({ agoraEmbed: 1, height: h }, '*');
  }
  if (window.ResizeObserver) {
    new ResizeObserver(send).observe(document.documentElement);
  }
  window.addEventListener('load', send);
  window.addEventListener('resize', send);
  send();
})();
