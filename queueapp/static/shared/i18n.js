/*
 * i18n.js: words in the page's language (an ES module). The server translates every text
 * and label and sends them in the page's config; this fills them in and picks names.
 */

/* "%(count)s waiting" with {count: 3} -> "3 waiting" (the gettext placeholders). */
export function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
}

/* The label of an enum value from the tables the server sent (queueapp/web/labels.py):
   label(config.labels, "TicketStatus", "called") -> "Dipanggil". Unknown values show as they are. */
export function label(labels, kind, value) {
  var table = labels && labels[kind];
  return (table && table[value]) || value;
}

/* A service's name in the page's language (the <html lang>), from any view of it:
   name_en beside name (tickets, boards) or name_id (booking). */
export function serviceName(view, locale) {
  var lang = locale || document.documentElement.lang;
  if (lang === "en" && view.name_en) { return view.name_en; }
  return view.name !== undefined ? view.name : view.name_id;
}
