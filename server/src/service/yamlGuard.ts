/**
 * A guard run before YAML from the workspace (`.x1051.yaml`, front matter) is parsed.
 *
 * The YAML library recurses once per nesting level, so text nested a few thousand levels deep
 * overflows the stack — and where exactly depends on how deep the caller already is, which made
 * the outcome vary from call to call. Policies and configs nest a handful of levels; refusing
 * anything deeper than `MAX_YAML_DEPTH` up front gives the same clear answer every time.
 */

/** Deepest nesting accepted (flow brackets plus block indentation levels). */
export const MAX_YAML_DEPTH = 64;

/**
 * An estimate, from above, of the nesting depth of YAML text: flow `[`/`{` nesting outside
 * quotes, plus per line the block levels its indentation and leading `- ` / `? ` markers open.
 * Linear in the text; never parses.
 */
export function yamlNestingDepth(text: string): number {
  let max = 0;
  let flow = 0;
  let quote = '';
  let lineStart = true;
  let lead = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      lead = 0;
      // A quoted scalar may span lines; flow collections too. Both are kept.
      continue;
    }
    if (lineStart) {
      // Two characters of indentation or of a "- " marker open at most one block level.
      if (c === ' ' || c === '\t' || ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t'))) {
        lead++;
        max = Math.max(max, flow + Math.ceil(lead / 2));
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      // A comment runs to the end of its line.
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      flow++;
      max = Math.max(max, flow + Math.ceil(lead / 2));
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return max;
}
