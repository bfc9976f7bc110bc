/**
 * search-url.js: the addresses that carry what a reader searched for, in one
 * place (used by site.js, search.js and highlight.js).
 *
 * Everything searched stays in the URL fragment (after "#"), which browsers
 * never send to the server, not even in a Referer:
 * - the search page: /search/#q=sleep+worry&category=…&tag=…&status=…&sort=votes
 *   (form-encoded, like a query string);
 * - a result link: /questions/<slug>/#answer-<id>&highlight=sleep&highlight=worry
 *   (the answer's anchor first, when the match is in an answer, then one
 *   highlight= per word; the parameter's name comes from the qa-config
 *   block). highlight.js marks the words, then jumps to the anchor and
 *   leaves only #answer-<id> in the address bar.
 * Older links put the same values in the query string (?q=…, ?highlight=…);
 * they are still read, then moved out of the address bar.
 */

import { CONFIG } from "./config.js";

/** The filters kept in the search page's address, in order. */
export const FILTER_NAMES = ["category", "tag", "status"];
/** The fragment (and old query) parameter holding a word to highlight. */
export const HIGHLIGHT_PARAM = CONFIG.highlightParam;

/**
 * @typedef {object} SearchState
 * @property {string} q
 * @property {Record<string, string[]>} filters  Chosen values by filter name.
 * @property {string} sort  "" (relevance) or the name of a sort.
 */

/**
 * The search state written in a fragment or query string ("#…", "?…" or bare).
 * @param {string} text
 * @returns {SearchState}
 */
export function parseSearchState(text) {
  const params = new URLSearchParams(text.replace(/^[#?]/, ""));
  /** @type {Record<string, string[]>} */
  const filters = {};
  for (const name of FILTER_NAMES) filters[name] = [...new Set(params.getAll(name).filter(Boolean))];
  return { q: (params.get("q") ?? "").trim(), filters, sort: params.get("sort") ?? "" };
}

/**
 * Whether a fragment or query string holds any search state.
 * @param {string} text
 * @returns {boolean}
 */
export function hasSearchState(text) {
  const params = new URLSearchParams(text.replace(/^[#?]/, ""));
  return ["q", "sort", ...FILTER_NAMES].some((name) => params.has(name));
}

/**
 * The fragment for a search state: "#q=…&…", or "" when there is nothing to say.
 * @param {SearchState} state
 * @returns {string}
 */
export function searchFragment(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of FILTER_NAMES) {
    for (const value of state.filters[name] ?? []) params.append(name, value);
  }
  if (state.sort) params.set("sort", state.sort);
  const text = params.toString();
  return text ? `#${text}` : "";
}

/**
 * The search page's address for a query typed elsewhere (the header's box).
 * @param {string} searchPage the search page's URL (the form's action)
 * @param {string} q
 * @returns {string}
 */
export function searchPageHref(searchPage, q) {
  const url = new URL(searchPage, window.location.href);
  url.search = "";
  url.hash = searchFragment({ q: q.trim(), filters: {}, sort: "" });
  return url.href;
}

/**
 * A result link that highlights the query's words on the page it opens.
 * @param {string} url the result's URL, maybe with an #anchor
 * @param {string} q the query (split into words on white space, as Pagefind does)
 * @returns {string}
 */
export function highlightHref(url, q) {
  const [base, anchor = ""] = url.split("#", 2);
  const words = q.split(/\s+/).filter(Boolean);
  const parts = [anchor, ...words.map((word) => new URLSearchParams({ [HIGHLIGHT_PARAM]: word }).toString())];
  const fragment = parts.filter(Boolean).join("&");
  return fragment ? `${base}#${fragment}` : base;
}

/**
 * The words to highlight and the anchor to jump to, from a fragment made by
 * highlightHref (or an old ?highlight= query string).
 * @param {Location | URL} location
 * @returns {{ words: string[], anchor: string }}
 */
export function readHighlight(location) {
  const words = new URLSearchParams(location.search).getAll(HIGHLIGHT_PARAM);
  let anchor = "";
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (part.startsWith(`${HIGHLIGHT_PARAM}=`)) {
      words.push(...new URLSearchParams(part).getAll(HIGHLIGHT_PARAM));
    } else if (part && !anchor && !part.includes("=")) {
      anchor = safeDecode(part);
    }
  }
  return { words: words.filter(Boolean), anchor };
}

/**
 * The ask link for a query: the site's new-question link with the query as
 * the title in the front-matter template (its `value` parameter). A link
 * without that parameter (the contribute page) is returned unchanged.
 * @param {string} askUrl
 * @param {string} query
 * @returns {string}
 */
export function askHref(askUrl, query) {
  let url;
  try {
    url = new URL(askUrl, window.location.href);
  } catch {
    return askUrl;
  }
  const value = url.searchParams.get("value");
  const placeholder = CONFIG.askTitlePlaceholder;
  if (value === null || !query || !placeholder || !value.includes(placeholder)) return askUrl;
  // The title sits in a double-quoted YAML string: keep it valid.
  const title = query.replace(/"/g, "'").replace(/\\/g, "/");
  url.searchParams.set("value", value.replace(placeholder, () => title));
  // Encode spaces as %20 (not "+"), as the link the site generated does.
  url.search = [...url.searchParams]
    .map(([key, val]) => `${encodeURIComponent(key)}=${encodeURIComponent(val)}`)
    .join("&");
  return url.href;
}

/**
 * decodeURIComponent, or the text as it is when it is not valid percent-encoding.
 * @param {string} text
 * @returns {string}
 */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
