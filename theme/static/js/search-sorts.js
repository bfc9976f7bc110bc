/**
 * search-sorts.js: sorting search results by votes, date or answers. Pagefind
 * would load its sort keys with its metadata on every first search, so the
 * site gives it none: the sort table (search/sorts.json, written by
 * plugins/qasite/render/search_sorts.py; its address is in the qa-config
 * block) holds each question's values by Pagefind page id, and is fetched
 * the first time a reader sorts. Pagefind hands over every result's id
 * without loading its data, so the whole result list is sorted here and only
 * the results shown load theirs.
 */

import { CONFIG } from "./config.js";

/**
 * The table as fetched: "ids" (Pagefind page ids) and one column of numbers per
 * sort ("votes", "answers", "date": a rank, larger is newer), row by row;
 * and each id's row.
 * @typedef {{ rows: Map<string, number>, table: Record<string, any> }} SortTable
 */

/** @type {Promise<SortTable> | null} */
let loading = null;

/**
 * The sort table, fetched once (a failed fetch is tried again at the next sort).
 * @returns {Promise<SortTable>}
 */
function sortTable() {
  if (!loading) {
    if (!CONFIG.searchSorts) return Promise.reject(new Error("The qa-config block names no sort table"));
    loading = fetch(CONFIG.searchSorts)
      .then((response) => {
        if (!response.ok) throw new Error(`The sort table could not be loaded (HTTP ${response.status})`);
        return response.json();
      })
      .then((table) => ({ rows: new Map(table.ids.map((id, /** @type {number} */ row) => [id, row])), table }));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/**
 * `results` ordered by the sort table's `column`, largest first; equal values
 * (and pages missing from the table, last) keep Pagefind's order.
 * @template {{ id: string }} R
 * @param {R[]} results Pagefind results
 * @param {string | undefined} column "votes", "date", "answers"; none: `results` as they are
 * @returns {Promise<R[]>}
 */
export async function sortResults(results, column) {
  if (!column) return results;
  const { rows, table } = await sortTable();
  const values = table[column];
  if (!Array.isArray(values)) throw new Error(`The sort table has no column "${column}"`);
  const keys = new Map(results.map((result) => [result, values[rows.get(result.id) ?? -1] ?? -Infinity]));
  // Array sort is stable: equal keys stay in Pagefind's (relevance) order.
  return [...results].sort((a, b) => /** @type {number} */ (keys.get(b)) - /** @type {number} */ (keys.get(a)));
}
