/*
 * reload.js: a browser too old for ES modules runs none of the status page's scripts, so it
 * reloads the page every data-seconds instead (loaded with <script nomodule>; plain ES5).
 */
(function () {
  var script = document.getElementById("status-reload");
  var seconds = parseInt(script && script.getAttribute("data-seconds"), 10) || 30;
  setTimeout(function () { location.reload(); }, seconds * 1000);
})();
