/* dom.js: the few DOM helpers every screen uses (an ES module). */

export function $(id) { return document.getElementById(id); }

/* Sets an element's text; null and undefined clear it. */
export function setText(id, text) {
  $(id).textContent = text === null || text === undefined ? "" : String(text);
}

/* A new element with an optional class and text. */
export function make(tag, className, text) {
  var element = document.createElement(tag);
  if (className) { element.className = className; }
  if (text !== null && text !== undefined) { element.textContent = String(text); }
  return element;
}

/* The JSON a page hands its script in <script type="application/json" id="...">. */
export function pageData(id) { return JSON.parse($(id).textContent); }
