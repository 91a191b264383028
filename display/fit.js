/*
 * fit.js: shrink a text until it fits its box, never below the board's minimum text size.
 *
 *   import {fit, minimumSize} from "./fit.js";
 *   fit(element, {lines: 1})   // one line: the number, the counter
 *   fit(element, {lines: 2})   // a service name: wraps to two lines, then shrinks
 *
 * The largest size is the one the style sheet gives; the smallest is --min-text (the
 * legibility rule in display.css). A text that does not fit even at the smallest size
 * keeps it and wraps further: it is never cut.
 */
var probe = null;

export function minimumSize() {
  if (!probe) {
    probe = document.createElement("span");
    probe.className = "min-probe";
    probe.textContent = "x";
    document.body.appendChild(probe);
  }
  return parseFloat(getComputedStyle(probe).fontSize);
}

function fits(el, lines, box) {
  var style = getComputedStyle(el);
  var lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.15;
  if (el.scrollWidth > el.clientWidth + 0.5) { return false; }
  if (el.getBoundingClientRect().height > lines * lineHeight + 1) { return false; }
  return !box || (box.scrollHeight <= box.clientHeight + 0.5 && box.scrollWidth <= box.clientWidth + 0.5);
}

// The largest size from `smallest` to `largest` at which the text fits (else `smallest`).
function largestFitting(el, smallest, largest, lines, box) {
  el.style.fontSize = largest + "px";
  if (fits(el, lines, box)) { return largest; }
  var low = smallest, high = largest;
  for (var i = 0; i < 14 && high - low > 0.25; i++) {
    var middle = (low + high) / 2;
    el.style.fontSize = middle + "px";
    if (fits(el, lines, box)) { low = middle; } else { high = middle; }
  }
  el.style.fontSize = low + "px";
  return fits(el, lines, box) ? low : null;
}

export function fit(el, options) {
  if (!el) { return 0; }
  var lines = options.lines || 1;
  var box = options.box || null;
  el.style.removeProperty("font-size");
  var largest = parseFloat(getComputedStyle(el).fontSize);
  var smallest = Math.min(largest, minimumSize());
  // First within `lines` lines; a text too long for them at the minimum wraps further
  // (as large as its box allows), and is never cut.
  var size = largestFitting(el, smallest, largest, lines, box);
  if (size === null && lines > 1) { size = largestFitting(el, smallest, largest, 1000, box); }
  if (size === null) { size = smallest; el.style.fontSize = size + "px"; }
  return size;
}
