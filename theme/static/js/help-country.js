/**
 * help-country.js: the help page only (help.html). Puts the reader's country first, as the
 * browser's languages name it (navigator.languages: "en-GB" names GB), never from the network
 * or the address the reader comes from: it moves that country's section to the top and its link
 * to the front of "Choose your country". Without JavaScript, or when no language names a listed
 * country, the page keeps the site's order (its default country first, then by name).
 */

/**
 * The first listed country a language tag names by its region ("en-GB" → "gb"; "zh-Hant-TW" → "tw").
 * @param {readonly string[]} languages BCP 47 tags, most preferred first
 * @param {Set<string>} listed lowercase codes of the countries on the page
 * @returns {string | null}
 */
export function readerCountry(languages, listed) {
  for (const tag of languages) {
    const region = tag.split("-").slice(1).find((part) => /^[A-Za-z]{2}$/.test(part));
    if (region && listed.has(region.toLowerCase())) return region.toLowerCase();
  }
  return null;
}

function putReaderCountryFirst() {
  const sections = [...document.querySelectorAll("section.help__country")];
  if (sections.length < 2) return;
  const listed = new Set(sections.map((section) => section.id.replace("country-", "")));
  const code = readerCountry(navigator.languages ?? [navigator.language], listed);
  if (!code || sections[0].id === `country-${code}`) return;
  sections[0].before(document.getElementById(`country-${code}`));
  const item = document.querySelector(`.help__countries a[href="#country-${code}"]`)?.closest("li");
  item?.parentElement?.prepend(item);
}

putReaderCountryFirst();
