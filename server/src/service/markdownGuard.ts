/**
 * A guard run before Markdown is parsed, like `yamlGuard.ts` for YAML.
 *
 * The Markdown parser recurses, and slows down super-linearly, with the nesting of containers
 * (block quotes and list items): `>` ×10,000 or `- ` ×10,000 on one line (20 KB) exhausted the
 * stack, or ran for minutes, depending on how much stack the caller had left. Policies nest a
 * handful of levels; a document whose container markers nest deeper than `MAX_MARKDOWN_NESTING`
 * is refused up front, the same way every time, with one `document-too-complex` finding.
 */

/** Deepest container nesting (block quotes plus list items opened on one line) accepted. */
export const MAX_MARKDOWN_NESTING = 256;

/**
 * The deepest run of container markers that opens at the start of a line: `>` and list markers
 * (`-`, `+`, `*`, `1.`, `1)` followed by a space or tab), each optionally followed by spaces.
 * Leading indentation is not counted (four spaces may start indented code). Linear in the text;
 * stops early once `stopAbove` is exceeded.
 */
export function markdownNestingDepth(text: string, stopAbove = Infinity): number {
  let max = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Up to three spaces of indentation.
    let k = 0;
    while (k < 3 && text.charCodeAt(i) === 32) {
      i++;
      k++;
    }
    let depth = 0;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 62 /* > */) {
        i++;
      } else if ((c === 45 || c === 43 || c === 42) /* - + * */ && isBlank(text.charCodeAt(i + 1))) {
        i += 2;
      } else if (c >= 48 && c <= 57) {
        let j = i;
        while (j < n && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
        const d = text.charCodeAt(j);
        if ((d === 46 || d === 41) /* . ) */ && isBlank(text.charCodeAt(j + 1))) i = j + 2;
        else break;
      } else break;
      depth++;
      while (isBlank(text.charCodeAt(i))) i++;
    }
    if (depth > max) {
      max = depth;
      if (max > stopAbove) return max;
    }
    // The rest of the line.
    while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    i++;
  }
  return max;
}

const isBlank = (c: number) => c === 32 || c === 9;
