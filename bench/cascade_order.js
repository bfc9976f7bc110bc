/**
 * cascade_order.js: run in a page of the old site by bench/cascade_order.py, with the new site's CSS
 * as text. Every (selector, declaration) of the page's own stylesheets (under /theme/) and of the new
 * CSS gets its place in each cascade; for every element (and pseudo-element) of the page and every
 * property, two declarations that both apply, have different values, the same specificity and the same
 * importance must come in the same order in both. Media queries are all taken as true and dynamic
 * pseudo-classes (:hover, :focus, :target...) as matching, so states a screenshot never shows are
 * checked too. Returns {problems, pairs, declarations}.
 */
async (newCss) => {
  const DYNAMIC = /:not\(:placeholder-shown\)|:placeholder-shown|:hover|:focus-visible|:focus|:target|:checked|:active|:visited/g;

  /** Split a selector list on its top-level commas. */
  function split(text) {
    const out = [];
    let depth = 0, current = "";
    for (const ch of text) {
      if (ch === "(") depth++;
      if (ch === ")") depth--;
      if (ch === "," && depth === 0) { out.push(current.trim()); current = ""; } else current += ch;
    }
    out.push(current.trim());
    return out;
  }

  /** Specificity of one selector as a number (ids, classes, types); :not/:has/:is count their argument. */
  function specificity(selector) {
    let a = 0, b = 0, c = 0;
    let s = selector.replace(/:(not|has|is)\(/g, " ").replace(/\)/g, " ");
    s = s.replace(/\[[^\]]*\]/g, () => { b++; return " "; });
    s = s.replace(/::[\w-]+/g, () => { c++; return " "; });
    s = s.replace(/#[\w-]+/g, () => { a++; return " "; });
    s = s.replace(/\.[\w-]+/g, () => { b++; return " "; });
    s = s.replace(/:[\w-]+/g, () => { b++; return " "; });
    s.replace(/(^|[\s>+~])([a-zA-Z][\w-]*)/g, () => { c++; return ""; });
    return a * 10000 + b * 100 + c;
  }

  /** Every style rule, one entry per selector, in cascade order; `other` for rules this check cannot place. */
  function entries(rules, media, out) {
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule) entries(rule.cssRules, media.concat(rule.media.mediaText), out);
      else if (rule instanceof CSSStyleRule) {
        const declarations = [];
        for (let i = 0; i < rule.style.length; i++) {
          const p = rule.style[i];
          // A longhand of a shorthand written with var() has no value of its own: use the rule's text.
          const value = rule.style.getPropertyValue(p) || `pending: ${rule.style.cssText}`;
          declarations.push([p, value, rule.style.getPropertyPriority(p)]);
        }
        for (const selector of split(rule.selectorText)) out.push({ media: media.join(" / "), selector, declarations });
      } else out.push({ other: rule.cssText.slice(0, 80) });
    }
    return out;
  }

  /** key (media|selector|property|value|priority#n) -> {index, entry, property, value, priority}. */
  function keyed(list) {
    const map = new Map(), seen = new Map();
    list.forEach((entry, index) => {
      if (entry.other) return;
      for (const [property, value, priority] of entry.declarations) {
        const base = `${entry.media}|${entry.selector}|${property}|${value}|${priority}`;
        const n = (seen.get(base) || 0) + 1;
        seen.set(base, n);
        map.set(`${base}#${n}`, { index, entry, property, value, priority });
      }
    });
    return map;
  }

  const oldEntries = [];
  for (const sheet of document.styleSheets) {
    if (sheet.href && new URL(sheet.href).pathname.startsWith("/theme/")) entries(sheet.cssRules, [], oldEntries);
  }
  const fresh = new CSSStyleSheet();
  fresh.replaceSync(newCss);
  const newEntries = entries(fresh.cssRules, [], []);
  const problems = [...oldEntries, ...newEntries].filter((e) => e.other).map((e) => `rule not checked: ${e.other}`);
  const before = keyed(oldEntries), after = keyed(newEntries);
  for (const key of before.keys()) if (!after.has(key)) problems.push(`only in the old CSS: ${key}`);
  for (const key of after.keys()) if (!before.has(key)) problems.push(`only in the new CSS: ${key}`);

  const elements = [...document.querySelectorAll("*")];
  const position = new Map(elements.map((el, i) => [el, i]));
  const targets = new Map();  // "element index[::pseudo]|property" -> [key...]
  const matched = new Map();
  for (const [key, d] of before) {
    if (!after.has(key)) continue;
    const pseudo = (d.entry.selector.match(/::[\w-]+$/) || [""])[0];
    let selector = d.entry.selector.replace(/::[\w-]+$/, "").replace(DYNAMIC, "").trim();
    if (selector === "" || /[>+~]$/.test(selector)) selector += "*";
    if (!matched.has(selector)) matched.set(selector, [...document.querySelectorAll(selector)]);
    for (const el of matched.get(selector)) {
      const target = `${position.get(el)}${pseudo}|${d.property}`;
      if (!targets.has(target)) targets.set(target, []);
      targets.get(target).push(key);
    }
  }
  let pairs = 0;
  for (const [target, keys] of targets) {
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        const x = before.get(keys[i]), y = before.get(keys[j]);
        if (x.value === y.value || x.priority !== y.priority) continue;
        if (specificity(x.entry.selector) !== specificity(y.entry.selector)) continue;
        pairs++;
        if ((x.index < y.index) !== (after.get(keys[i]).index < after.get(keys[j]).index)) {
          const el = elements[parseInt(target, 10)];
          const classes = el.getAttribute("class") || "";
          problems.push(`<${el.localName} class="${classes}"> ${x.property}: ${keys[i]} and ${keys[j]} swapped`);
        }
      }
    }
  }
  return { problems: [...new Set(problems)], pairs, declarations: before.size };
}
