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
 * How many shards the index has (1 when the file says nothing sensible).
 * @param {string} address the shard count file
 * @returns {Promise<number>}
 */
async function shardCount(address) {
  const response = await fetch(address);
  if (!response.ok) throw new Error(`The search shard count could not be loaded (HTTP ${response.status})`);
  const { shards } = await response.json();
  return Number.isInteger(shards) && shards > 0 ? shards : 1;
}

/**
 * The address of shard `shard`'s bundle: a path when on this page's origin
 * (Pagefind's worker would otherwise make its result URLs absolute).
 * @param {string} module Pagefind's module (shard 0's bundle)
 * @param {number} shard
 * @returns {string}
 */
function bundle(module, shard) {
  const url = new URL(`${shard}/`, new URL(module, window.location.href));
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
      const [pagefind, shards] = await Promise.all([
        import(module),
        CONFIG.searchShards ? shardCount(CONFIG.searchShards) : 1,
      ]);
      await pagefind.init?.();
      const merges = [];
      for (let shard = 1; shard < shards; shard += 1) merges.push(pagefind.mergeIndex(bundle(module, shard)));
      await Promise.all(merges);
      return pagefind;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
