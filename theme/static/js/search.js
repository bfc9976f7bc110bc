/**
 * search.js: the search page (templates/search.html), on Pagefind's JS API.
 *
 * The state (query, filters, sort) lives in the URL fragment, never sent to
 * the server (search-state.js). Typing replaces the current history entry; a
 * filter or sort change adds one; back/forward (popstate) and a changed
 * fragment (hashchange: an edited address, a shared link) restore the state.
 * Results are the page's row templates filled in (search-results.js); facets
 * are checkbox fieldsets (search-facets.js); Pagefind, shards merged, comes
 * from search-index.js (warmed as the reader types: search-warm.js), the ask
 * link and breakpoint from qa-config (config.js).
 */

import { CONFIG } from "./config.js";
import { FACETS, FacetPanel, FilterChunks } from "./search-facets.js";
import { resultItems, rowTemplates, summary } from "./search-results.js";
import { loadPagefind } from "./search-index.js";
import { sortResults } from "./search-sorts.js";
import { SORTS, addressState, hasFilters, isIdle, pagefindFilters, readState, saveState } from "./search-state.js";
import { askHref, searchFragment } from "./search-url.js";
import { warmWhileTyping } from "./search-warm.js";

/** @typedef {import("./search-url.js").SearchState} State */

/** Pause after a keystroke before searching (milliseconds). */
const TYPING_DELAY = 200;
/** What the status says before anything is searched. */
const IDLE_MESSAGE = "Type a few words to search the questions and their answers, or choose a filter.";

/** The search page: its elements, Pagefind and the current state. */
class SearchPage {
  /**
   * @param {HTMLElement} root the [data-search] element
   * @param {any} pagefind Pagefind's module
   */
  constructor(root, pagefind) {
    this.root = root;
    this.pagefind = pagefind;
    this.filterChunks = new FilterChunks(pagefind);
    this.rowTemplates = rowTemplates(root);
    this.siteTitle = document.title;
    /** @type {State} */
    this.state = readState("");
    /** @type {any[]} the current search's results (data() not yet loaded) */
    this.results = [];
    this.shown = 0;
    this.searchId = 0;
    this.timer = 0;
    this.input = /** @type {HTMLInputElement} */ (this.find("[data-search-input]"));
    this.sort = /** @type {HTMLSelectElement} */ (this.find("[data-search-sort]"));
    this.status = this.find("[data-search-status]");
    this.list = this.find("[data-search-results]");
    this.facets = this.find("[data-search-facets]");
    this.filtersPanel = /** @type {HTMLDetailsElement} */ (this.find("[data-search-filters]"));
    this.facetPanel = new FacetPanel(this.facets, this.filtersPanel, () => this.state.filters);
    // Closed on a page opened idle (main), the panel opens on wide screens at the first search, as it is open then.
    this.openAtSearch = !this.filtersPanel.open && window.matchMedia(CONFIG.breakpoints["--wider"]).matches;
    this.moreWrap = this.find("[data-search-more-wrap]");
    this.empty = this.find("[data-search-empty]");
    this.toolbar = this.find("[data-search-toolbar]");
  }

  /**
   * The element matching `selector` inside the search UI.
   * @param {string} selector
   * @returns {HTMLElement}
   */
  find(selector) {
    return /** @type {HTMLElement} */ (this.root.querySelector(selector));
  }

  /** Wire up the controls and run the search in the URL. */
  start() {
    this.find("[data-search-form]").addEventListener("submit", (event) => this.onSubmit(event));
    this.input.addEventListener("input", () => this.onInput());
    this.sort.addEventListener("change", () => this.onSortChange());
    this.facets.addEventListener("change", (event) => this.onFacetChange(event));
    this.facets.addEventListener("click", (event) => this.facetPanel.onToggle(event));
    this.filtersPanel.addEventListener("toggle", () => this.onPanelToggle());
    this.find("[data-search-more]").addEventListener("click", () => this.showMore(true));
    this.find("[data-search-clear]").addEventListener("click", () => this.clearFilters());
    window.addEventListener("popstate", () => this.onAddressChange());
    window.addEventListener("hashchange", () => this.onAddressChange());
    this.restore();
  }

  /** Back/forward or a new fragment: search again if the address says something new. */
  onAddressChange() {
    if (searchFragment(readState(window.location.hash)) !== searchFragment(this.state)) this.restore();
  }

  /** Take the state from the URL (page load, back/forward, a new fragment) and search. */
  restore() {
    window.clearTimeout(this.timer);
    this.state = addressState();
    this.input.value = this.state.q;
    this.sort.value = this.state.sort;
    this.search();
  }

  /** Typing: search after a short pause, replacing the history entry. */
  onInput() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.commitQuery(), TYPING_DELAY);
  }

  /**
   * Enter or the Search button: search now, without reloading the page.
   * @param {SubmitEvent} event
   */
  onSubmit(event) {
    event.preventDefault();
    window.clearTimeout(this.timer);
    this.commitQuery();
  }

  /** Search for the input's text, if it changed. */
  commitQuery() {
    const q = this.input.value.trim();
    if (q === this.state.q) return;
    this.state.q = q;
    saveState(this.state, "replace");
    this.search();
  }

  /** Take in text typed but not yet searched for (before a filter or sort change). */
  flushTyping() {
    window.clearTimeout(this.timer);
    this.state.q = this.input.value.trim();
  }

  /** A new sort order: a new history entry. */
  onSortChange() {
    this.flushTyping();
    this.state.sort = Object.hasOwn(SORTS, this.sort.value) ? this.sort.value : "";
    saveState(this.state, "push");
    this.search();
  }

  /**
   * A facet checkbox ticked or cleared: a new history entry.
   * @param {Event} event
   */
  onFacetChange(event) {
    const box = /** @type {HTMLInputElement} */ (event.target);
    const facet = box.dataset.facet;
    if (!facet || !Object.hasOwn(this.state.filters, facet)) return;
    this.flushTyping();
    const values = this.state.filters[facet].filter((value) => value !== box.value);
    if (box.checked) values.push(box.value);
    this.state.filters[facet] = values;
    saveState(this.state, "push");
    this.search();
  }

  /** The filter panel opened on the idle page: load the counts it shows (FilterChunks says why not before). */
  onPanelToggle() {
    if (!this.filtersPanel.open || !isIdle(this.state)) return;
    this.openAtSearch = false;
    this.filterChunks.show(this.facetPanel, () => !isIdle(this.state));
  }

  /** Clear every filter (from the no-results message). */
  clearFilters() {
    for (const facet of FACETS) this.state.filters[facet.name] = [];
    saveState(this.state, "push");
    this.search();
    this.input.focus();
  }

  /** Run the search for the current state and show it; report a failure. */
  async search() {
    const id = ++this.searchId;
    try {
      await this.runSearch(id);
    } catch (error) {
      console.error("Search failed:", error);
      if (id === this.searchId) this.status.textContent = "The search failed. Please try again.";
    }
  }

  /**
   * Search for the current state and show the results, unless a newer search started.
   * @param {number} id this search's number
   */
  async runSearch(id) {
    const { q, sort } = this.state;
    const filters = pagefindFilters(this.state);
    document.title = q ? `“${q}”: ${this.siteTitle}` : this.siteTitle;
    if (isIdle(this.state)) {
      // Counts only once the reader opened the panel (or a search loaded them): see FilterChunks.
      const counts = this.filterChunks.loading ? await this.filterChunks.load() : null;
      if (id !== this.searchId) return;
      await this.showResults([], counts, IDLE_MESSAGE);
      return;
    }
    if (this.openAtSearch) {
      this.openAtSearch = false;
      this.filtersPanel.open = true;
    }
    const counted = this.filterChunks.loaded;
    const search = await this.pagefind.search(q || null, { filters });
    if (id !== this.searchId || !search) return;
    const results = await sortResults(search.results, SORTS[sort]);
    if (id !== this.searchId) return;
    await this.showResults(results, counted ? search.filters : null, summary(results.length, this.state.q, hasFilters(this.state)));
    if (id === this.searchId && search.results.length === 0) this.showEmpty();
    // The first results come before the filters' chunks; their counts fill the facets in after (no announcement).
    if (!counted) await this.filterChunks.fill(this.facetPanel, q || null, filters, () => id !== this.searchId);
  }

  /**
   * Replace the results, facets and status with a new search's.
   * @param {any[]} results Pagefind results
   * @param {Record<string, Record<string, number>> | null} counts filter counts (null: not loaded yet, facets kept)
   * @param {string} message for the live region
   */
  async showResults(results, counts, message) {
    const id = this.searchId;
    const items = await resultItems(this.rowTemplates, results, 0, this.state.q);
    if (id !== this.searchId) return;
    this.results = results;
    this.shown = items.length;
    this.list.replaceChildren(...items);
    this.list.hidden = results.length === 0;
    this.empty.hidden = true;
    this.toolbar.hidden = results.length === 0;
    this.updateMore();
    if (counts) this.facetPanel.render(counts);
    // Announced once the results it counts are on the page.
    this.status.textContent = message;
  }

  /** The no-results message, with the ask link for this query. */
  showEmpty() {
    this.empty.hidden = false;
    this.find("[data-search-empty-query]").textContent = this.state.q ? `“${this.state.q}”` : "these filters";
    /** @type {HTMLAnchorElement} */ (this.find("[data-search-ask]")).href = askHref(CONFIG.askUrl ?? "", this.state.q);
    this.find("[data-search-clear]").hidden = !hasFilters(this.state);
  }

  /**
   * Load and show the next PAGE_SIZE results.
   * @param {boolean} focus move focus to the first new result (after a click)
   */
  async showMore(focus) {
    const id = this.searchId;
    const items = await resultItems(this.rowTemplates, this.results, this.shown, this.state.q);
    if (id !== this.searchId) return;
    this.shown += items.length;
    this.list.append(...items);
    this.updateMore();
    if (focus && items.length > 0) items[0].querySelector("a")?.focus();
  }

  /** Show "Show more results (N more)" while results are left. */
  updateMore() {
    const left = this.results.length - this.shown;
    this.moreWrap.hidden = left <= 0;
    this.find("[data-search-more]").textContent = `Show more results (${left.toLocaleString("en")} more)`;
  }
}

/**
 * Show the search UI instead of the no-JavaScript content, load Pagefind and
 * start; if Pagefind cannot load, say so and keep the browse links.
 */
async function main() {
  const root = document.querySelector("[data-search]");
  if (!(root instanceof HTMLElement)) return;
  const fallback = document.querySelector("[data-search-fallback]");
  root.hidden = false;
  if (fallback instanceof HTMLElement) fallback.hidden = true;
  // Open the filters beside the results on wide screens, folded on small ones and on a page opened idle.
  const filters = root.querySelector("[data-search-filters]");
  if (filters instanceof HTMLDetailsElement) {
    const wide = window.matchMedia(CONFIG.breakpoints["--wider"]).matches;
    filters.open = wide && !isIdle(readState(window.location.hash || window.location.search));
  }
  const status = root.querySelector("[data-search-status]");
  if (status) status.textContent = "Loading search…";
  let pagefind;
  try {
    pagefind = await loadPagefind();
  } catch (error) {
    console.error("Search could not load Pagefind:", error);
    if (status) status.textContent = "";
    /** @type {HTMLElement} */ (root.querySelector("[data-search-error]")).hidden = false;
    root.querySelector(".search__layout")?.setAttribute("hidden", "");
    if (fallback instanceof HTMLElement) {
      fallback.hidden = false;
      fallback.querySelector("[data-search-nojs]")?.setAttribute("hidden", "");
    }
    return;
  }
  new SearchPage(root, pagefind).start();
  warmWhileTyping(root, pagefind);
}

main();
