/**
 * search-state.js: the search page's state (query, filters, sort) and the
 * address bar. The state lives in the URL fragment, which browsers never send
 * to the server (format in search-url.js); an old link with ?q=… is read,
 * then moved to the fragment (history.replaceState).
 */

import { hasSearchState, parseSearchState, searchFragment } from "./search-url.js";

/** Sort choices (the select's values) and the sort table's column each orders by, largest first (search-sorts.js). */
export const SORTS = {
  votes: "votes",
  newest: "date",
  answers: "answers",
};

/** @typedef {import("./search-url.js").SearchState} State */

/**
 * The state in a URL fragment (or an old query string), with a known sort only.
 * @param {string} text location.hash or location.search
 * @returns {State}
 */
export function readState(text) {
  const state = parseSearchState(text);
  return { ...state, sort: Object.hasOwn(SORTS, state.sort) ? state.sort : "" };
}

/**
 * Record the state in the address bar's fragment, unless it is already there.
 * @param {State} state
 * @param {"push" | "replace"} mode push: a new history entry; replace: this one.
 */
export function saveState(state, mode) {
  const fragment = searchFragment(state);
  if (fragment === window.location.hash && !window.location.search) return;
  const url = `${window.location.pathname}${fragment}`;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

/**
 * The state of the page's address. An old link's ?q=… (the query string is
 * sent to the server: such links are no longer made) moves to the fragment.
 * @returns {State}
 */
export function addressState() {
  const { hash, search } = window.location;
  const state = readState(hasSearchState(hash) || !hasSearchState(search) ? hash : search);
  if (search) window.history.replaceState(null, "", `${window.location.pathname}${searchFragment(state)}`);
  return state;
}

/**
 * The chosen filters in Pagefind's form (only facets with a value).
 * @param {State} state
 * @returns {Record<string, string[]>}
 */
export function pagefindFilters(state) {
  return Object.fromEntries(Object.entries(state.filters).filter(([, values]) => values.length > 0));
}

/**
 * Whether any filter is chosen.
 * @param {State} state
 * @returns {boolean}
 */
export function hasFilters(state) {
  return Object.values(state.filters).some((values) => values.length > 0);
}

/**
 * Whether the state asks for nothing: no query and no filter (the idle page).
 * @param {State} state
 * @returns {boolean}
 */
export function isIdle(state) {
  return !state.q && !hasFilters(state);
}
