// Agora's embed script, loaded by the snippet on the organizer's own site
// (served at /embed.js): sets each Agora frame's height to its content's,
// as the framed page reports it (static/js/embed-frame.js). Only messages
// from the Agora site this script came from, and only from one of its
// frames, are acted on.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !window.URL) { return; }
  var origin = new URL(me.src, document.baseURI).origin;
  window.addEventListener('message', function (ev) {
    if (ev.origin !== origin || !ev.data || ev.data.agoraEmbed !== 1) { return; }
    var h = Number(ev.data.height);
    if (!(h > 0 && h < 100000)) { return; }
    var frames = document.querySelectorAll('iframe[data-agora-embed]');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === ev.source) {
        frames[i].style.minHeight = '0';
        frames[i].style.height = h + 'px';
      }
    }
  });
})();
