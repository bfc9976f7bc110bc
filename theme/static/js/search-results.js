/**
 * search-results.js: a search result as a listing row. Each result is a copy
 * of the search page's row template for its answer state
 * (<template data-search-row>, made by the listing row's macros in
 * templates/partials/macros.html) with its slots ([data-slot]) filled from
 * the result's Pagefind meta, written by partials/search-data.html: text with
 * text nodes, links with setAttribute. What can be worked out is not stored
 * (Pagefind indexes meta values as words): the "votes"/"answers" labels come
 * from the numbers, the answer state from the status filter. The link goes to the question, or to
 * the answer that matches best (#answer-<id>), with the words to highlight in
 * the fragment for highlight.js. Pagefind's excerpt is rebuilt as text nodes
 * and copies of the template's <mark> only.
 */

import { highlightHref } from "./search-url.js";

/** Results shown at once, and after each "Show more results". */
const PAGE_SIZE = 10;

/**
 * The page's row templates by answer state ("accepted", "answered", "unanswered").
 * @param {ParentNode} root
 * @returns {Map<string, HTMLTemplateElement>}
 */
export function rowTemplates(root) {
  /** @type {Map<string, HTMLTemplateElement>} */
  const templates = new Map();
  for (const template of root.querySelectorAll("template[data-search-row]")) {
    if (template instanceof HTMLTemplateElement) templates.set(template.dataset.searchRow ?? "", template);
  }
  return templates;
}

/**
 * Pagefind's excerpt (HTML: escaped text and <mark>) as safe DOM nodes: text,
 * and copies of `mark` holding text only. Anything else becomes its text.
 * DOMParser documents are inert: nothing in them runs or loads.
 * @param {string} html
 * @param {Element} mark the row template's <mark>
 * @returns {DocumentFragment}
 */
function excerptNodes(html, mark) {
  const parsed = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  const fragment = document.createDocumentFragment();
  for (const node of parsed.body.childNodes) {
    const text = node.textContent ?? "";
    if (node.nodeName !== "MARK") {
      fragment.append(text);
      continue;
    }
    const copy = /** @type {Element} */ (mark.cloneNode(false));
    copy.textContent = text;
    fragment.append(copy);
  }
  return fragment;
}

/**
 * The noun for `count` of them, as the build's `plural` filter writes it:
 * (1, "vote") -> "vote", (3, "vote") -> "votes", (-1, "vote") -> "vote".
 * @param {number} count
 * @param {string} word
 * @returns {string}
 */
function noun(count, word) {
  return Math.abs(count) === 1 ? word : `${word}s`;
}

/**
 * The answer state naming a result's row template ("accepted", "answered",
 * "unanswered"; macros.html answer_state), from its status filter values.
 * @param {string[]} status
 * @returns {string}
 */
function answerState(status) {
  if (status.includes("has accepted answer")) return "accepted";
  return status.includes("unanswered") ? "unanswered" : "answered";
}

/**
 * The sub-result holding the strongest matches (sum of Pagefind's scores).
 * @param {any} data a result's data()
 * @returns {any | null}
 */
function bestSubResult(data) {
  let best = null;
  let bestScore = -1;
  for (const sub of data.sub_results ?? []) {
    const locations = sub.weighted_locations ?? [];
    const score = locations.reduce((sum, loc) => sum + (loc.balanced_score ?? loc.weight ?? 1), 0);
    if (score > bestScore) {
      best = sub;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Where a sub-result inside an answer leads and what to call it: the
 * answer's heading ("Accepted answer by Ada Moss"); null outside answers.
 * @param {any} data a result's data()
 * @param {any} sub one of data.sub_results
 * @returns {{ href: string, label: string } | null}
 */
function answerHit(data, sub) {
  const hash = sub?.url?.split("#")[1] ?? "";
  if (!hash.startsWith("answer-")) return null;
  const heading = (data.anchors ?? [])
    .filter((anchor) => anchor.element === "h3" && (hash === anchor.id || hash.startsWith(`${anchor.id}-`)))
    .sort((a, b) => b.id.length - a.id.length)[0];
  return { href: sub.url, label: heading?.text || sub.title || "an answer" };
}

/**
 * The element of `row` marked data-slot="`name`" (partials/macros.html).
 * @param {Element} row
 * @param {string} name
 * @returns {Element}
 */
function slot(row, name) {
  const found = row.querySelector(`[data-slot="${name}"]`);
  if (!found) throw new Error(`The search row template has no slot "${name}"`);
  return found;
}

/**
 * Put `text` in place of the text slot `name`.
 * @param {Element} row
 * @param {string} name
 * @param {string} text
 */
function fillText(row, name, text) {
  slot(row, name).replaceWith(document.createTextNode(text));
}

/**
 * Fill the part `name` with `fill`, or remove it when `value` is empty.
 * @template T
 * @param {Element} row
 * @param {string} name
 * @param {T} value
 * @param {(part: Element, value: NonNullable<T>) => void} fill
 */
function fillPart(row, name, value, fill) {
  const part = slot(row, name);
  if (value) fill(part, /** @type {NonNullable<T>} */ (value));
  else part.remove();
}

/**
 * One result as a listing row, from the row template for its answer state:
 * stats, title link, the answer it was found in (when the best match is in
 * an answer), content note or excerpt, category and date.
 * @param {Map<string, HTMLTemplateElement>} templates row templates by answer state
 * @param {any} data a result's data()
 * @param {string} query the words searched for ("" for filters only)
 * @returns {HTMLLIElement}
 */
function resultItem(templates, data, query) {
  /** @type {Record<string, string>} */
  const meta = data.meta ?? {};
  const state = answerState(data.filters?.status ?? []);
  const template = templates.get(state);
  if (!template) throw new Error(`No search row template for the answer state "${state}"`);
  const row = /** @type {HTMLLIElement} */ (template.content.firstElementChild?.cloneNode(true));
  const mark = slot(row, "mark");
  mark.remove();
  mark.removeAttribute("data-slot");
  for (const [name, word] of [["votes", "vote"], ["answers", "answer"]]) {
    fillText(row, name, meta[name] ?? "");
    fillText(row, `${name}_label`, noun(Number(meta[name] ?? 0), word));
  }
  slot(row, "link").setAttribute("href", highlightHref(data.url, query));
  fillText(row, "title", meta.title ?? data.url);
  const best = query ? bestSubResult(data) : null;
  const inAnswer = answerHit(data, best);
  fillPart(row, "context", inAnswer, (part, hit) => {
    slot(part, "answer_link").setAttribute("href", highlightHref(hit.href, query));
    fillText(part, "answer", hit.label.charAt(0).toLowerCase() + hit.label.slice(1));
  });
  // A question with a content note shows the note, never an excerpt of its text.
  fillPart(row, "note_part", meta.content_note, (part, text) => fillText(part, "note", text));
  const excerpt = meta.content_note ? "" : inAnswer ? best.excerpt : data.excerpt;
  fillPart(row, "excerpt", excerpt, (part, html) => part.replaceChildren(excerptNodes(html, mark)));
  fillPart(row, "category_part", meta.category, (part, text) => fillText(part, "category", text));
  fillPart(row, "date_part", meta.date, (part, text) => fillText(part, "date", text));
  for (const element of row.querySelectorAll("[data-slot]")) element.removeAttribute("data-slot");
  // One text node per run of text ("asked " + the date), as the browser lays out parsed HTML.
  row.normalize();
  return row;
}

/**
 * PAGE_SIZE results from `start` as list items (loading their data).
 * @param {Map<string, HTMLTemplateElement>} templates row templates by answer state
 * @param {any[]} results Pagefind results
 * @param {number} start
 * @param {string} query the words searched for ("" for filters only)
 * @returns {Promise<HTMLLIElement[]>}
 */
export async function resultItems(templates, results, start, query) {
  const batch = results.slice(start, start + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  return data.map((item) => resultItem(templates, item, query));
}

/**
 * "1 result" / "3 results".
 * @param {number} n
 * @param {string} word singular noun
 * @returns {string}
 */
export function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The sentence announced after a search.
 * @param {number} n number of results
 * @param {string} q the words searched for ("" for filters only)
 * @param {boolean} filtered whether a filter is chosen
 * @returns {string}
 */
export function summary(n, q, filtered) {
  if (!q) return `${plural(n, "question")} ${n === 1 ? "matches" : "match"} the chosen filters.`;
  return `${plural(n, "result")} for “${q}”${filtered ? " with the chosen filters" : ""}.`;
}
