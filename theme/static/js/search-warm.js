/**
 * search-warm.js: the search page warms Pagefind while the reader types.
 *
 * Pagefind's first search in a page runs its WebAssembly cold: V8 compiles the
 * hot functions again, optimised, while that search runs, and the reader waits
 * for it. Once the reader has typed a whole word (a space after it), the page
 * searches Pagefind for the whole words typed so far and drops the results, so
 * the query, submitted a moment later, runs on optimised code. It fetches only
 * those words' index chunks, which the query needs too (Pagefind finds one chunk
 * a word, and keeps the chunks it loaded): no result's data, no filter chunk,
 * nothing the page shows or announces.
 */

/**
 * The whole words in what the reader typed (everything before the last space), trimmed; "" while the first
 * word is being typed.
 * @param {string} text the search box's value
 * @returns {string}
 */
export function wholeWords(text) {
  const end = text.search(/\s\S*$/);
  return end < 0 ? "" : text.slice(0, end).trim();
}

/**
 * Warm Pagefind's search on the reader's whole words as they type, one search at a time.
 * @param {HTMLElement} root the [data-search] element, holding the search box
 * @param {any} pagefind Pagefind's module (search-index.js)
 */
export function warmWhileTyping(root, pagefind) {
  const input = /** @type {HTMLInputElement} */ (root.querySelector("[data-search-input]"));
  let warmed = "";
  let busy = false;
  input.addEventListener("input", async () => {
    const words = wholeWords(input.value);
    if (busy || !words || words === warmed) return;
    warmed = words;
    busy = true;
    try {
      await pagefind.search(words);
    } catch {
      // Only a warm-up: the reader's own search reports a failure.
    } finally {
      busy = false;
    }
  });
}
