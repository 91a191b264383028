/*
 * The lobby display's pledge slide (an ES module beside display.js): when the office shows
 * its service pledge (maklumat pelayanan) on the display, the slide covers the board for
 * data-seconds every data-every seconds; a new call on the board ends it at once, so a
 * number is never hidden. The slide and its text are rendered by the server.
 */
var slide = document.getElementById("pledge-slide");
var latest = document.getElementById("latest-number");
var every = Number(slide.getAttribute("data-every")) || 180;
var seconds = Number(slide.getAttribute("data-seconds")) || 20;
var hideTimer = null;

function hide() { slide.hidden = true; clearTimeout(hideTimer); }

function show() {
  slide.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hide, seconds * 1000);
}

if (latest && window.MutationObserver) {
  new MutationObserver(hide).observe(latest, {childList: true, characterData: true, subtree: true});
}
setInterval(show, every * 1000);
