/**
 * search.js: the search page (templates/search.html), on Pagefind's JS API.
 *
 * The state (query, filters, sort) lives in the URL fragment, which browsers
 * never send to the server: #q=…&category=…&tag=…&status=…&sort=votes (format
 * in search-url.js). Typing replaces the current history entry; a filter or
 * sort change adds one; back/forward (popstate) and a changed fragment
 * (hashchange: an edited address, a shared link) restore the state. An old
 * link with ?q=… is read, then moved to the fragment (history.replaceState).
 * Results are links: to the question, or to the answer that matches best
 * (#answer-<id>), with the words to highlight in the fragment for
 * highlight.js. Each result is a copy of the page's row template for its
 * answer state (<template data-search-row>, made by the listing row's macros
 * in partials/macros.html) with its slots ([data-slot]) filled from the
 * result's Pagefind meta, written by partials/search-data.html: text with
 * textContent, links with setAttribute. Facets are checkboxes in fieldsets,
 * with counts from Pagefind; filters combine with AND, so each count is the
 * number of results after ticking that box. Pagefind's excerpts are rebuilt
 * as text nodes and copies of the template's <mark> only. Pagefind's address,
 * the ask link and the breakpoint come from the qa-config block (config.js).
 */

import { CONFIG } from "./config.js";
import { FILTER_NAMES, hasSearchState, highlightHref, parseSearchState, searchFragment } from "./search-url.js";

/** Results shown at once, and after each "Show more results". */
const PAGE_SIZE = 10;
/** Pause after a keystroke before searching (milliseconds). */
const TYPING_DELAY = 200;
/** Tags shown before "Show all tags". */
const TAGS_SHOWN = 8;
/** What the status says before anything is searched. */
const IDLE_MESSAGE = "Type a few words to search the questions and their answers, or choose a filter.";

/**
 * @typedef {object} Facet
 * @property {string} name   Pagefind filter name, also the URL parameter (one of FILTER_NAMES).
 * @property {string} legend Fieldset legend.
 * @property {string[]} [order] Fixed order of values (else by count, then name).
 * @property {number} [shown] Values shown before a "Show all" toggle.
 */

/** @type {Record<string, Omit<Facet, "name">>} */
const FACET_DISPLAY = {
  category: { legend: "Category" },
  tag: { legend: "Tag", shown: TAGS_SHOWN },
  status: { legend: "Status", order: ["answered", "has accepted answer", "unanswered"] },
};

/** @type {Facet[]} */
const FACETS = FILTER_NAMES.map((name) => ({ name, ...FACET_DISPLAY[name] }));

/** Sort choices (the select's values) as Pagefind sort options. */
const SORTS = {
  votes: { votes: "desc" },
  newest: { date: "desc" },
  answers: { answers: "desc" },
};

/** @typedef {import("./search-url.js").SearchState} State */

/**
 * The state in a URL fragment (or an old query string), with a known sort only.
 * @param {string} text location.hash or location.search
 * @returns {State}
 */
function readState(text) {
  const state = parseSearchState(text);
  return { ...state, sort: Object.hasOwn(SORTS, state.sort) ? state.sort : "" };
}

/**
 * Record the state in the address bar's fragment, unless it is already there.
 * @param {State} state
 * @param {"push" | "replace"} mode push: a new history entry; replace: this one.
 */
function saveState(state, mode) {
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
function addressState() {
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
function pagefindFilters(state) {
  return Object.fromEntries(Object.entries(state.filters).filter(([, values]) => values.length > 0));
}

/**
 * Whether any filter is chosen.
 * @param {State} state
 * @returns {boolean}
 */
function hasFilters(state) {
  return Object.values(state.filters).some((values) => values.length > 0);
}

/**
 * Create an element with classes, attributes and children.
 * @param {string} tag
 * @param {Record<string, string>} [attributes] "class" and any other attribute.
 * @param {Array<Node | string>} [children]
 * @returns {HTMLElement}
 */
function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * Text for screen readers only.
 * @param {string} text
 * @returns {HTMLElement}
 */
function hiddenText(text) {
  return el("span", { class: "visually-hidden" }, [text]);
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
 * "1 result" / "3 results".
 * @param {number} n
 * @param {string} word singular noun
 * @returns {string}
 */
function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
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
 * an answer), excerpt, category and date.
 * @param {Map<string, HTMLTemplateElement>} templates row templates by answer state
 * @param {any} data a result's data()
 * @param {string} query the words searched for ("" for filters only)
 * @returns {HTMLLIElement}
 */
function resultItem(templates, data, query) {
  /** @type {Record<string, string>} */
  const meta = data.meta ?? {};
  const template = templates.get(meta.state ?? "");
  if (!template) throw new Error(`No search row template for the answer state "${meta.state}"`);
  const row = /** @type {HTMLLIElement} */ (template.content.firstElementChild?.cloneNode(true));
  const mark = slot(row, "mark");
  mark.remove();
  mark.removeAttribute("data-slot");
  for (const name of ["votes", "votes_label", "answers", "answers_label"]) fillText(row, name, meta[name] ?? "");
  slot(row, "link").setAttribute("href", highlightHref(data.url, query));
  fillText(row, "title", meta.title ?? data.url);
  const best = query ? bestSubResult(data) : null;
  const inAnswer = answerHit(data, best);
  fillPart(row, "context", inAnswer, (part, hit) => {
    slot(part, "answer_link").setAttribute("href", highlightHref(hit.href, query));
    fillText(part, "answer", hit.label.charAt(0).toLowerCase() + hit.label.slice(1));
  });
  const excerpt = inAnswer ? best.excerpt : data.excerpt;
  fillPart(row, "excerpt", excerpt, (part, html) => part.replaceChildren(excerptNodes(html, mark)));
  fillPart(row, "category_part", meta.category, (part, text) => fillText(part, "category", text));
  fillPart(row, "date_part", meta.date, (part, text) => fillText(part, "date", text));
  for (const element of row.querySelectorAll("[data-slot]")) element.removeAttribute("data-slot");
  // One text node per run of text ("asked " + the date), as the browser lays out parsed HTML.
  row.normalize();
  return row;
}

/**
 * The ask link for a query: the site's new-question link with the query as
 * the title in the front-matter template (its `value` parameter). A link
 * without that parameter (the contribute page) is returned unchanged.
 * @param {string} askUrl
 * @param {string} query
 * @returns {string}
 */
function askHref(askUrl, query) {
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
 * Display name of a filter value ("has accepted answer" -> "Has accepted answer").
 * @param {Facet} facet
 * @param {string} value
 * @returns {string}
 */
function valueLabel(facet, value) {
  return facet.name === "status" ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

/**
 * A facet's values in display order: chosen ones always, others only when
 * they have results.
 * @param {Facet} facet
 * @param {Record<string, number>} counts
 * @param {string[]} chosen
 * @returns {Array<[string, number]>}
 */
function facetValues(facet, counts, chosen) {
  const entries = Object.entries(counts ?? {});
  for (const value of chosen) if (!(value in (counts ?? {}))) entries.push([value, 0]);
  const visible = entries.filter(([value, count]) => count > 0 || chosen.includes(value));
  if (facet.order) {
    const rank = (value) => (facet.order.includes(value) ? facet.order.indexOf(value) : facet.order.length);
    return visible.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  }
  return visible.sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

/** The search page: its elements, Pagefind and the current state. */
class SearchPage {
  /**
   * @param {HTMLElement} root the [data-search] element
   * @param {any} pagefind Pagefind's module
   */
  constructor(root, pagefind) {
    this.root = root;
    this.pagefind = pagefind;
    this.askUrl = CONFIG.askUrl ?? "";
    /** @type {Map<string, HTMLTemplateElement>} row templates by answer state */
    this.rowTemplates = new Map(
      [...root.querySelectorAll("template[data-search-row]")].map((template) => [
        /** @type {HTMLTemplateElement} */ (template).dataset.searchRow ?? "",
        /** @type {HTMLTemplateElement} */ (template),
      ]),
    );
    this.siteTitle = document.title;
    /** @type {State} */
    this.state = readState("");
    /** @type {any[]} the current search's results (data() not yet loaded) */
    this.results = [];
    this.shown = 0;
    this.searchId = 0;
    this.timer = 0;
    /** @type {Set<string>} facets whose every value is shown */
    this.expanded = new Set();
    /** @type {Record<string, Record<string, number>>} the facet counts shown */
    this.lastCounts = {};
    this.input = /** @type {HTMLInputElement} */ (this.find("[data-search-input]"));
    this.sort = /** @type {HTMLSelectElement} */ (this.find("[data-search-sort]"));
    this.status = this.find("[data-search-status]");
    this.list = this.find("[data-search-results]");
    this.facets = this.find("[data-search-facets]");
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
    this.facets.addEventListener("click", (event) => this.onFacetToggle(event));
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

  /**
   * "Show all tags" / "Show fewer tags".
   * @param {Event} event
   */
  onFacetToggle(event) {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-facet-toggle]");
    if (!(button instanceof HTMLElement)) return;
    const name = button.dataset.facetToggle ?? "";
    if (this.expanded.has(name)) this.expanded.delete(name);
    else this.expanded.add(name);
    this.renderFacets(this.lastCounts);
    this.find(`[data-facet-toggle="${name}"]`)?.focus();
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
    const idle = !q && !hasFilters(this.state);
    document.title = q ? `“${q}”: ${this.siteTitle}` : this.siteTitle;
    if (idle) {
      const counts = await this.pagefind.filters();
      if (id !== this.searchId) return;
      await this.showResults([], counts, IDLE_MESSAGE);
      return;
    }
    const search = await this.pagefind.search(q || null, { filters, sort: SORTS[sort] ?? {} });
    if (id !== this.searchId || !search) return;
    await this.showResults(search.results, search.filters, this.summary(search.results.length));
    if (id === this.searchId && search.results.length === 0) this.showEmpty();
  }

  /**
   * The sentence announced after a search.
   * @param {number} n number of results
   * @returns {string}
   */
  summary(n) {
    const filtered = hasFilters(this.state);
    if (!this.state.q) return `${plural(n, "question")} ${n === 1 ? "matches" : "match"} the chosen filters.`;
    return `${plural(n, "result")} for “${this.state.q}”${filtered ? " with the chosen filters" : ""}.`;
  }

  /**
   * Replace the results, facets and status with a new search's.
   * @param {any[]} results Pagefind results
   * @param {Record<string, Record<string, number>>} counts filter counts
   * @param {string} message for the live region
   */
  async showResults(results, counts, message) {
    const id = this.searchId;
    const items = await this.loadItems(results, 0);
    if (id !== this.searchId) return;
    this.results = results;
    this.shown = items.length;
    this.list.replaceChildren(...items);
    this.list.hidden = results.length === 0;
    this.empty.hidden = true;
    this.toolbar.hidden = results.length === 0;
    this.updateMore();
    this.renderFacets(counts);
    // Announced once the results it counts are on the page.
    this.status.textContent = message;
  }

  /** The no-results message, with the ask link for this query. */
  showEmpty() {
    this.empty.hidden = false;
    this.find("[data-search-empty-query]").textContent = this.state.q ? `“${this.state.q}”` : "these filters";
    /** @type {HTMLAnchorElement} */ (this.find("[data-search-ask]")).href = askHref(this.askUrl, this.state.q);
    this.find("[data-search-clear]").hidden = !hasFilters(this.state);
  }

  /**
   * Load and show the next PAGE_SIZE results.
   * @param {boolean} focus move focus to the first new result (after a click)
   */
  async showMore(focus) {
    const id = this.searchId;
    const items = await this.loadItems(this.results, this.shown);
    if (id !== this.searchId) return;
    this.shown += items.length;
    this.list.append(...items);
    this.updateMore();
    if (focus && items.length > 0) items[0].querySelector("a")?.focus();
  }

  /**
   * PAGE_SIZE results from `start` as list items (loading their data).
   * @param {any[]} results Pagefind results
   * @param {number} start
   * @returns {Promise<HTMLLIElement[]>}
   */
  async loadItems(results, start) {
    const batch = results.slice(start, start + PAGE_SIZE);
    const query = this.state.q;
    const data = await Promise.all(batch.map((result) => result.data()));
    return data.map((item) => resultItem(this.rowTemplates, item, query));
  }

  /** Show "Show more results (N more)" while results are left. */
  updateMore() {
    const left = this.results.length - this.shown;
    this.moreWrap.hidden = left <= 0;
    this.find("[data-search-more]").textContent = `Show more results (${left.toLocaleString("en")} more)`;
  }

  /**
   * Rebuild the facet fieldsets, keeping keyboard focus on the same checkbox.
   * @param {Record<string, Record<string, number>> | undefined} counts
   */
  renderFacets(counts) {
    this.lastCounts = counts ?? {};
    const active = document.activeElement;
    const focused =
      active instanceof HTMLInputElement && this.facets.contains(active) ? [active.dataset.facet, active.value] : null;
    const fieldsets = FACETS.map((facet) => this.facetFieldset(facet, this.lastCounts[facet.name] ?? {})).filter(
      (fieldset) => fieldset !== null,
    );
    this.facets.replaceChildren(...fieldsets);
    this.find("[data-search-filters]").hidden = fieldsets.length === 0;
    if (focused) {
      const boxes = [...this.facets.querySelectorAll(`input[data-facet="${focused[0]}"]`)];
      const same = boxes.find((box) => /** @type {HTMLInputElement} */ (box).value === focused[1]);
      /** @type {HTMLElement | undefined} */ (same ?? boxes[0])?.focus();
    }
  }

  /**
   * One facet as a fieldset of checkboxes with counts (null when empty).
   * @param {Facet} facet
   * @param {Record<string, number>} counts
   * @returns {HTMLFieldSetElement | null}
   */
  facetFieldset(facet, counts) {
    const chosen = this.state.filters[facet.name];
    const values = facetValues(facet, counts, chosen);
    if (values.length === 0) return null;
    const limit = facet.shown && !this.expanded.has(facet.name) ? facet.shown : Infinity;
    const list = el("ul", { class: "search-facet__list" });
    values.forEach(([value, count], index) => {
      const checked = chosen.includes(value);
      if (index >= limit && !checked) return;
      const id = `search-${facet.name}-${index}`;
      const box = el("input", {
        class: "search-facet__checkbox",
        type: "checkbox",
        id,
        value,
        "data-facet": facet.name,
      });
      /** @type {HTMLInputElement} */ (box).checked = checked;
      const label = el("label", { class: "search-facet__label", for: id }, [
        el("span", { class: "search-facet__name" }, [valueLabel(facet, value)]),
        " ",
        el("span", { class: "search-facet__count" }, [
          hiddenText("("),
          count.toLocaleString("en"),
          hiddenText(count === 1 ? " result)" : " results)"),
        ]),
      ]);
      list.append(el("li", { class: "search-facet__item" }, [box, label]));
    });
    const fieldset = el("fieldset", { class: "search-facet" }, [
      el("legend", { class: "search-facet__legend" }, [facet.legend]),
      list,
    ]);
    if (values.length > limit || this.expanded.has(facet.name)) {
      const all = this.expanded.has(facet.name);
      const noun = `${facet.legend.toLowerCase()}s`;
      fieldset.append(
        el(
          "button",
          {
            class: "search-facet__toggle",
            type: "button",
            "aria-expanded": String(all),
            "data-facet-toggle": facet.name,
          },
          [all ? `Show fewer ${noun}` : `Show all ${values.length} ${noun}`],
        ),
      );
    }
    return /** @type {HTMLFieldSetElement} */ (fieldset);
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
  // Open the filters beside the results on wide screens, folded on small ones.
  const filters = root.querySelector("[data-search-filters]");
  if (filters instanceof HTMLDetailsElement) filters.open = window.matchMedia(`(min-width: ${CONFIG.breakpoints.wide})`).matches;
  const status = root.querySelector("[data-search-status]");
  if (status) status.textContent = "Loading search…";
  let pagefind;
  try {
    if (!CONFIG.pagefind) throw new Error("The qa-config block names no Pagefind module");
    pagefind = await import(CONFIG.pagefind);
    // Load every filter's index now: a search only returns counts for loaded filters.
    await pagefind.filters();
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
}

main();
