/**
 * search-facets.js: the search page's filters. Each facet (category, tag,
 * status) is a fieldset of checkboxes with Pagefind's counts; filters combine
 * with AND, so each count is the number of results after ticking that box.
 * Long facets show their first values and a "Show all" toggle.
 */

import { FILTER_NAMES } from "./search-url.js";

/** Tags shown before "Show all tags". */
const TAGS_SHOWN = 8;

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
  status: {
    legend: "Status",
    order: ["answered", "has accepted answer", "answered by a verified professional", "unanswered"],
  },
};

/** @type {Facet[]} */
export const FACETS = FILTER_NAMES.map((name) => ({ name, ...FACET_DISPLAY[name] }));

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

/** The facet fieldsets inside the filter panel, rebuilt after each search. */
export class FacetPanel {
  /**
   * @param {HTMLElement} container where the fieldsets go ([data-search-facets])
   * @param {HTMLElement} panel the filter panel, hidden while no facet has values
   * @param {() => Record<string, string[]>} chosen the values chosen now, by facet name
   */
  constructor(container, panel, chosen) {
    this.container = container;
    this.panel = panel;
    this.chosen = chosen;
    /** @type {Set<string>} facets whose every value is shown */
    this.expanded = new Set();
    /** @type {Record<string, Record<string, number>>} the facet counts shown */
    this.lastCounts = {};
  }

  /**
   * "Show all tags" / "Show fewer tags".
   * @param {Event} event
   */
  onToggle(event) {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-facet-toggle]");
    if (!(button instanceof HTMLElement)) return;
    const name = button.dataset.facetToggle ?? "";
    if (this.expanded.has(name)) this.expanded.delete(name);
    else this.expanded.add(name);
    this.render(this.lastCounts);
    /** @type {HTMLElement | null} */ (this.container.querySelector(`[data-facet-toggle="${name}"]`))?.focus();
  }

  /**
   * Rebuild the facet fieldsets, keeping keyboard focus on the same checkbox.
   * @param {Record<string, Record<string, number>> | undefined} counts
   */
  render(counts) {
    this.lastCounts = counts ?? {};
    const active = document.activeElement;
    const focused =
      active instanceof HTMLInputElement && this.container.contains(active)
        ? [active.dataset.facet, active.value]
        : null;
    const fieldsets = FACETS.map((facet) => this.fieldset(facet, this.lastCounts[facet.name] ?? {})).filter(
      (fieldset) => fieldset !== null,
    );
    this.container.replaceChildren(...fieldsets);
    this.panel.hidden = fieldsets.length === 0;
    if (focused) {
      const boxes = [...this.container.querySelectorAll(`input[data-facet="${focused[0]}"]`)];
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
  fieldset(facet, counts) {
    const chosen = this.chosen()[facet.name] ?? [];
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
 * Pagefind's filter chunks, loaded once, after the first results are shown (or when the reader opens the
 * filter panel of a page opened idle): a search counts only the filters whose chunks are loaded, loading
 * them all (every shard's) costs more bytes than the first results, and once they are loaded every search
 * counts every filter value twice against its results (Pagefind 1.5 compares each value's pages with each
 * result: ~100 ms of a first query's CPU at 10,000 questions), so the facets fill in after the results.
 */
export class FilterChunks {
  /** @param {any} pagefind Pagefind's module */
  constructor(pagefind) {
    this.pagefind = pagefind;
    /** @type {Promise<Record<string, Record<string, number>>> | null} */
    this.loading = null;
    this.loaded = false;
  }

  /**
   * Load every filter's chunks (once; a failure is tried again at the next call).
   * @returns {Promise<Record<string, Record<string, number>>>} the counts over every question
   */
  load() {
    if (!this.loading) {
      this.loading = this.pagefind.filters();
      this.loading.then(
        () => (this.loaded = true),
        () => (this.loading = null),
      );
    }
    return /** @type {Promise<any>} */ (this.loading);
  }

  /**
   * Show the counts over every question (the idle page's facets) once loaded, unless `stale()` says a
   * search started meanwhile (its results fill the facets in); a failure is logged.
   * @param {FacetPanel} panel
   * @param {() => boolean} stale
   */
  async show(panel, stale) {
    try {
      const counts = await this.load();
      if (!stale()) panel.render(counts);
    } catch (error) {
      console.error("The search filters could not be loaded:", error);
    }
  }

  /**
   * Fill the facets in with a search's counts once every filter is loaded: the same search again (its
   * word chunks are loaded, so it fetches nothing more). Nothing when `stale()` says a newer search
   * started; a failure is logged and leaves the facets as they are (the results are shown already).
   * @param {FacetPanel} panel
   * @param {string | null} q
   * @param {Record<string, string[]>} filters
   * @param {() => boolean} stale
   */
  async fill(panel, q, filters, stale) {
    try {
      await this.load();
      const search = stale() ? null : await this.pagefind.search(q, { filters });
      if (search && !stale()) panel.render(search.filters);
    } catch (error) {
      console.error("The search filters could not be loaded:", error);
    }
  }
}
