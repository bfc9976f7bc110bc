/**
 * search-index.js: Pagefind, loaded once a page, with every search shard merged.
 *
 * The build indexes the questions in shards (plugins/qasite/render/search_shards.py):
 * shard 0's bundle holds Pagefind's script and WebAssembly (the qa-config block's
 * `pagefind`), shard k sits in the numbered folder k/ beside them, and the file
 * named by `searchShards` says how many shards there are. Both are fetched at
 * once; Pagefind's mergeIndex then adds the other shards, and Pagefind merges
 * their results (ranked by score), filter counts and result data. One shard (a
 * small site): nothing is merged.
 *
 * In the live preview, the shard list may also name a delta
 * (plugins/qasite/render/search_delta.py): a small bundle of the pages edited
 * since the shards were indexed, merged as one more index, and the Pagefind ids
 * of those pages' stale entries in the shards, dropped from every search's
 * results. A published site has no delta.
 *
 * A search with filters and no words (`search(null, …)`) is asked with the term FILTERS_ONLY (why there).
 * Filter values are indexed with `%`, `"` and `\` percent-encoded (plugins/qasite/render/pagefind_values.py
 * says why): the module returned asks for them so (filterValue) and gives their counts back as written (plainValue).
 */

import { CONFIG } from "./config.js";

/** @type {Promise<any> | null} */
let loading = null;

/**
 * The term a search with filters and no words is asked with. Pagefind 1.5.2 asks its WebAssembly which index
 * chunks the term "" needs (`search(null)` searches ""), and for "" every chunk matches (its loose match compares
 * empty prefixes): each filter-only search fetched and decoded every index chunk of every shard (12 MB at 10,000
 * questions, 2–7 s) to read none. U+0085 (NEXT LINE) stays through Pagefind's clean-up of the term in JS (not
 * whitespace nor punctuation there) and is whitespace to its Rust side, which finds no word in it: the same
 * filter-only search, with the same results, order and counts. Its chunks: none (only a chunk whose words run
 * from below U+0085 to above it, a shard's last ASCII words to its first non-ASCII ones, would match). Pagefind
 * asks for no chunk for "" after 1.5.2 (its pull request 1317).
 */
const FILTERS_ONLY = "\u0085";

/**
 * The other shards' bundles (the preview's delta last, if any) and the ids to drop, from the shard list.
 * @param {string} address the shard list
 * @returns {Promise<{bundles: string[], drop: Set<string>, delta: boolean}>}
 */
async function otherShards(address) {
  const response = await fetch(address);
  if (!response.ok) throw new Error(`The search shard list could not be loaded (HTTP ${response.status})`);
  const { merge, delta } = await response.json();
  const bundles = Array.isArray(merge) ? merge.filter((bundle) => typeof bundle === "string") : [];
  if (typeof delta?.bundle === "string") bundles.push(delta.bundle);
  const drop = new Set(Array.isArray(delta?.drop) ? delta.drop.filter((id) => typeof id === "string") : []);
  return { bundles: bundles.map(sameOriginPath), drop, delta: Boolean(delta) };
}

/**
 * Pagefind, its searches without the results whose id is in `drop`, and each id once (a page the delta
 * holds unchanged is in a shard too, under the same id); the module itself when there is no delta.
 * @param {any} pagefind Pagefind's module
 * @param {{bundles: string[], drop: Set<string>, delta: boolean}} others
 * @returns {any}
 */
function withoutStale(pagefind, { drop, delta }) {
  if (!delta) return pagefind;
  /** @param {...any} args */
  const search = async (...args) => {
    const found = await pagefind.search(...args);
    if (!found) return found;
    const seen = new Set(drop);
    const results = found.results.filter((/** @type {any} */ r) => !seen.has(r.id) && seen.add(r.id));
    return { ...found, results };
  };
  return { ...pagefind, search };
}

/**
 * Pagefind, its searches without words asked with FILTERS_ONLY instead of null.
 * @param {any} pagefind Pagefind's module
 * @returns {any}
 */
function filtersWithoutChunks(pagefind) {
  /**
   * @param {string | null} term
   * @param {...any} rest
   */
  const search = (term, ...rest) => pagefind.search(term ?? FILTERS_ONLY, ...rest);
  return { ...pagefind, search };
}

/** What the build percent-encodes in a filter value (render/pagefind_values.py's JSON_ESCAPED), and back. */
const ENCODED = /[%"\\]/g;
const DECODED = /%(25|22|5C)/g;

/**
 * A filter value as the index holds it: `%`, `"` and `\` percent-encoded.
 * @param {string} value
 * @returns {string}
 */
function filterValue(value) {
  return value.replace(ENCODED, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A filter value as written, from the form the index holds (filterValue's inverse).
 * @param {string} value
 * @returns {string}
 */
function plainValue(value) {
  return value.replace(DECODED, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Pagefind's filters option with every value (a string, at any depth) as the index holds it.
 * @param {any} filters
 * @returns {any}
 */
function indexedFilters(filters) {
  if (typeof filters === "string") return filterValue(filters);
  if (Array.isArray(filters)) return filters.map(indexedFilters);
  if (filters && typeof filters === "object") {
    return Object.fromEntries(Object.entries(filters).map(([key, value]) => [key, indexedFilters(value)]));
  }
  return filters;
}

/**
 * Filter counts ({filter: {value: count}}) by the values as written.
 * @param {Record<string, Record<string, number>> | undefined} counts
 * @returns {Record<string, Record<string, number>> | undefined}
 */
function plainCounts(counts) {
  if (!counts) return counts;
  return Object.fromEntries(
    Object.entries(counts).map(([name, values]) => [
      name,
      Object.fromEntries(Object.entries(values).map(([value, count]) => [plainValue(value), count])),
    ]),
  );
}

/**
 * Pagefind with filter values as written: its searches ask for them as indexed, and its searches' counts and
 * filters() give them back as written (a result's data() keeps the indexed form: only its status is read).
 * @param {any} pagefind Pagefind's module
 * @returns {any}
 */
function withPlainFilterValues(pagefind) {
  /**
   * @param {string | null} term
   * @param {any} [options]
   */
  const search = async (term, options = {}) => {
    const found = await pagefind.search(term, { ...options, filters: indexedFilters(options.filters ?? {}) });
    if (!found) return found;
    return { ...found, filters: plainCounts(found.filters), totalFilters: plainCounts(found.totalFilters) };
  };
  const filters = async () => plainCounts(await pagefind.filters());
  return { ...pagefind, search, filters };
}

/**
 * An address as a path when it is on this page's origin (Pagefind's worker
 * would otherwise make the result URLs of a merged bundle absolute).
 * @param {string} address
 * @returns {string}
 */
function sameOriginPath(address) {
  const url = new URL(address, window.location.href);
  return url.origin === window.location.origin ? url.pathname : url.href;
}

/**
 * Wait until every shard's WebAssembly and metadata are loaded and set up. Pagefind's init() only
 * starts loading them (in its web worker) and a single shard merges nothing, so without this the
 * reader's first query would wait for them (and for Pagefind's 50 ms polls); an empty query waits for
 * each shard to be ready, then returns at once without fetching anything.
 * @param {any} pagefind Pagefind's module
 * @returns {Promise<void>}
 */
async function everyShardReady(pagefind) {
  await pagefind.search("");
}

/**
 * Pagefind's module with every shard merged, loaded once (a failure is tried again at the next call).
 * @returns {Promise<any>}
 */
export function loadPagefind() {
  if (!loading) {
    const module = CONFIG.pagefind;
    if (!module) return Promise.reject(new Error("The qa-config block names no Pagefind module"));
    loading = (async () => {
      const [pagefind, others] = await Promise.all([
        import(module),
        CONFIG.searchShards ? otherShards(CONFIG.searchShards) : { bundles: [], drop: new Set(), delta: false },
      ]);
      await pagefind.init?.();
      await Promise.all(others.bundles.map((bundle) => pagefind.mergeIndex(bundle)));
      await everyShardReady(pagefind);
      return withoutStale(filtersWithoutChunks(withPlainFilterValues(pagefind)), others);
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
