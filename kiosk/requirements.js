/*
 * The kiosk's "Persyaratan" buttons (an ES module, beside kiosk.js): one button beside
 * each service's tile opens a large panel with the service's published
 * standard (requirements, procedure, completion time, fee, product, where to complain)
 * before the citizen takes a number. The standards and the texts come from the page
 * (<script type="application/json" id="k-standards">, rendered by the server); the panel
 * closes with its button, on the kiosk's idle time, or when the services change screen.
 */
import {make, pageData} from "/static/shared/dom.js";
import {serviceName} from "/static/shared/i18n.js";

var config = pageData("k-config");
var data = pageData("k-standards");
var texts = data.texts;
var shown = config.shown_services || [];
var services = data.standards.services.filter(function (s) { return !shown.length || shown.indexOf(s.code) >= 0; });
var panel = null, closeTimer = null;

function list(tag, lines) {
  var element = make(tag, "k-req-list");
  lines.forEach(function (line) { element.appendChild(make("li", null, line)); });
  return element;
}

function part(body, title, content) {
  body.appendChild(make("h3", null, title));
  if (typeof content === "string") { body.appendChild(make("p", null, content || texts.not_published)); }
  else if (content.length) { body.appendChild(list(content.tag, content)); }
  else { body.appendChild(make("p", null, texts.not_published)); }
}

function close() {
  if (panel) { panel.hidden = true; }
  clearTimeout(closeTimer);
}

function open(service) {
  if (!panel) {
    panel = make("div", "k-req-panel");
    panel.id = "k-req-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    document.body.appendChild(panel);
  }
  panel.textContent = "";
  var head = make("div", "k-req-head");
  var title = make("h2", null, texts.title + ": " + service.code + " · " + serviceName(service, config.locale));
  title.id = "k-req-title";
  panel.setAttribute("aria-labelledby", title.id);
  var shut = make("button", "k-req-close", texts.close);
  shut.type = "button";
  shut.addEventListener("click", close);
  head.appendChild(title);
  head.appendChild(shut);
  var body = make("div", "k-req-body");
  var requirements = service.requirements.slice(); requirements.tag = "ul";
  var procedure = service.procedure.slice(); procedure.tag = "ol";
  part(body, texts.requirements, requirements);
  part(body, texts.procedure, procedure);
  part(body, texts.completion_time, service.completion_time);
  part(body, texts.fee, service.fee);
  part(body, texts.product, service.product);
  var lapor = data.standards.office.lapor;
  // The office's channel often names SP4N-LAPOR! already: say it once.
  part(body, texts.complaints, /lapor/i.test(service.complaints) ? service.complaints :
       (service.complaints ? service.complaints + "; " : "") + lapor.name + " (" + lapor.site + ")");
  var bottom = make("button", "k-wide k-primary", texts.close);
  bottom.type = "button";
  bottom.addEventListener("click", close);
  body.appendChild(bottom);
  panel.appendChild(head);
  panel.appendChild(body);
  panel.hidden = false;
  body.scrollTop = 0;
  shut.focus();
  armClose();
}

function armClose() {
  clearTimeout(closeTimer);
  closeTimer = setTimeout(close, (config.idle_seconds || 45) * 1000);
}

/* One "Persyaratan" button in each service's slot (.k-service-extra, beside its tile):
   kiosk.js announces each service item it makes with "kiosk:service"; items made before
   this module ran are found in the page. */
var byCode = {};
services.forEach(function (service) { byCode[service.code] = service; });

function addButton(code, slot) {
  var service = byCode[code];
  if (!service || !slot || slot.querySelector(".k-req")) { return; }
  var button = make("button", "k-req", texts.button);
  button.type = "button";
  button.setAttribute("data-requirements", service.code);
  button.setAttribute("aria-label", texts.button + ": " + serviceName(service, config.locale));
  button.addEventListener("click", function () { open(service); });
  slot.appendChild(button);
}

if (services.length) {
  document.addEventListener("kiosk:service", function (event) { addButton(event.detail.code, event.detail.slot); });
  document.querySelectorAll("[data-service-item]").forEach(function (item) {
    addButton(item.getAttribute("data-service-item"), item.querySelector(".k-service-extra"));
  });
  document.addEventListener("pointerdown", function () { if (panel && !panel.hidden) { armClose(); } });
}
