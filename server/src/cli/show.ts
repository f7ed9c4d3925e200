/**
 * `x1051 show <ID|term> [--lang ja|en]`: prints an entry's full guidance for a terminal.
 *
 * Accepts every form the catalogue understands: controls (`TEL.18.1.6`, `ＴＥＬ．１８．１．６`),
 * items (`TEL.18.1.6 e)`, `TEL.13.1.4(e)(4)`), objectives, clauses, Annex B entries, defined
 * terms (`通信の秘密保持`), control titles and abbreviations (`DoS`). Unknown input exits 2 with
 * suggestions.
 */
import { loadCatalog } from '../../../catalog/src/load';
import { renderMarkdown } from '../../../catalog/src/render';
import type { CatalogIndex } from '../../../catalog/src/query';
import { UsageError, parseArgs, type CliCommand, type CliIO } from './command';

export type Lang = 'ja' | 'en';

const USAGE = [
  'Usage: x1051 show <ID|term> [--lang ja|en] [--catalog <catalog.json>]',
  '',
  'Prints the full guidance of a control, an item, an objective, a clause, an Annex B entry,',
  'a defined term or an abbreviation.',
  '',
  'Examples:',
  '  x1051 show TEL.18.1.6',
  '  x1051 show "TEL.18.1.6 e)" --lang en',
  '  x1051 show TEL.13.1.4(e)(4)',
  '  x1051 show 通信の秘密保持',
  '  x1051 show DoS',
  '',
  'Options:',
  '  --lang ja|en        language of the text (default: from LANG, else en)',
  '  --catalog <file>    use this compiled catalogue instead of the bundled dist/catalog.json',
  '',
].join('\n');

/** The language from `--lang`, else from the locale environment, else English. */
export function chooseLang(option: string | true | undefined, env: Record<string, string | undefined>): Lang {
  if (option !== undefined) {
    if (option === 'ja' || option === 'en') return option;
    throw new UsageError(`--lang must be ja or en, not '${String(option)}'`);
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ja/i.test(locale) ? 'ja' : 'en';
}

/** The catalogue from `--catalog`, or the bundled one. */
export function catalogFor(option: string | true | undefined): CatalogIndex {
  if (option === true) throw new UsageError('--catalog needs a file');
  return loadCatalog(option);
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * Turns the Markdown of `render.ts` into readable terminal text: headings lose their `#` (and are
 * bold on a terminal), emphasis markers and backslash escapes go, inline code is kept as text.
 */
export function markdownToTerminal(markdown: string, color: boolean): string {
  const out: string[] = [];
  for (const line of markdown.split('\n')) {
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const text = inline(h[2], color);
      out.push(color ? `${BOLD}${text}${RESET}` : h[1].length <= 2 ? `${text}\n${'='.repeat(Math.min(displayWidth(text), 72))}` : text);
      continue;
    }
    // A whole line in _…_ is a caption: dim on a terminal, plain otherwise.
    const caption = /^_(.*)_$/.exec(line);
    if (caption && !line.endsWith('\\_')) {
      const text = inline(caption[1], color);
      out.push(color ? `${DIM}${text}${RESET}` : text);
      continue;
    }
    const bullet = /^(\s*)- (.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1]}  ${inline(bullet[2], color)}`);
      continue;
    }
    out.push(inline(line, color));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Inline Markdown: `**bold**`, `` `code` ``, and backslash escapes. */
function inline(text: string, color: boolean): string {
  let out = '';
  let bold = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
    } else if (c === '*' && text[i + 1] === '*') {
      bold = !bold;
      if (color) out += bold ? BOLD : RESET;
      i++;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) {
        out += c;
        continue;
      }
      const code = text.slice(i + 1, close);
      out += color ? `${DIM}[${code}]${RESET}` : `[${code}]`;
      i = close;
    } else {
      out += c;
    }
  }
  return color && bold ? out + RESET : out;
}

/** Columns a string takes in a terminal: East Asian wide characters count two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

/** The `show` command. */
export const showCommand: CliCommand = {
  name: 'show',
  summary: 'print the guidance of a control, item, term or abbreviation',
  usage: USAGE,
  run(args: string[], io: CliIO): number {
    const { positionals, options } = parseArgs(args);
    for (const name of options.keys()) {
      if (name !== 'lang' && name !== 'catalog') throw new UsageError(`unknown option --${name}`);
    }
    const lang = chooseLang(options.get('lang'), io.env);
    // "TEL.18.1.6 e)" may arrive as two arguments when not quoted.
    const query = positionals.join(' ').trim();
    if (query === '') throw new UsageError('which id or term? (e.g. x1051 show TEL.18.1.6)');
    const index = catalogFor(options.get('catalog'));
    const markdown = renderMarkdown(index, query, lang);
    if (markdown === undefined) {
      const suggestions = [...new Set([...index.didYouMean(query, 3), ...index.search(query, undefined, 3).map((r) => r.id)])].slice(0, 5);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
      io.stderr(`x1051 show: '${query}' is not a control, item, term or abbreviation of X.1051.${hint}\n`);
      return 2;
    }
    io.stdout(markdownToTerminal(markdown, io.isTTY).trimEnd() + '\n');
    return 0;
  },
};
