/*
 * wait.js: a waiting ticket's estimate in words (an ES module), the same on every screen
 * as on paper (queueapp/web/waits.py words it on the server). `words` come from the page:
 * {range: "%(minutes)s min (%(low)s-%(high)s)", soon: "served soon", none: "cannot be
 * estimated yet"}. No estimate (no counter serving the line is open): `none`; 0 minutes:
 * `soon`, never "0 min (0-1)".
 */
import {fill} from "/static/shared/i18n.js";

export function waitText(minutes, range, words) {
  if (minutes === null || minutes === undefined) { return words.none; }
  if (minutes === 0) { return words.soon; }
  return fill(words.range, {minutes: minutes, low: range ? range[0] : minutes, high: range ? range[1] : minutes});
}
