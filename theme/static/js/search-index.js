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
 */

import { CONFIG } from "./config.js";

/** @type {Promise<any> | null} */
let loading = null;

/**
 * The other shards' bundles, from the shard list.
 * @param {string} address the shard list
 * @returns {Promise<string[]>}
 */
async function otherShards(address) {
  const response = await fetch(address);
  if (!response.ok) throw new Error(`The search shard list could not be loaded (HTTP ${response.status})`);
  const { merge } = await response.json();
  return Array.isArray(merge) ? merge.filter((bundle) => typeof bundle === "string").map(sameOriginPath) : [];
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
        CONFIG.searchShards ? otherShards(CONFIG.searchShards) : [],
      ]);
      await pagefind.init?.();
      await Promise.all(others.map((bundle) => pagefind.mergeIndex(bundle)));
      return pagefind;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
