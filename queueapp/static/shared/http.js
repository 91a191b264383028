/*
 * http.js: the JSON API from a screen (an ES module). JSON in and out, the page's CSRF token
 * (<meta name="csrf-token">) on writes, and the API's error shape
 * {"error": {"code", "message"}} turned into an ApiError. A request that never got an
 * answer fails with code "network"; `fallback` is its message (and that of an error
 * without one).
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;   // 0 when the server was not reached
    this.code = code;
  }
}

function csrfToken() {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : null;
}

export function requestJson(url, options) {
  var opts = options || {};
  var method = opts.method || "GET";
  var headers = {"Accept": "application/json"};
  if (opts.body !== undefined) { headers["Content-Type"] = "application/json"; }
  if (method !== "GET" && csrfToken()) { headers["X-CSRFToken"] = csrfToken(); }
  Object.assign(headers, opts.headers || {});
  var init = {method: method, headers: headers, credentials: "same-origin"};
  if (opts.body !== undefined) { init.body = JSON.stringify(opts.body); }
  return fetch(url, init).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (response.ok) { return data; }
      var error = data.error || {};
      throw new ApiError(response.status, error.code || "http_" + response.status, error.message || opts.fallback || "");
    });
  }, function () {
    throw new ApiError(0, "network", opts.fallback || "");
  });
}

export function postJson(url, body, options) {
  return requestJson(url, Object.assign({}, options, {method: "POST", body: body || {}}));
}
