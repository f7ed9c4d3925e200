/**
 * `x1051 show <ID|term> [--lang ja|en]`: prints an entry's full guidance for a terminal.
 *
 * Accepts every form the catalogue understands: controls (`TEL.18.1.6`, `ＴＥＬ．１８．１．６`),
 * items (`TEL.18.1.6 e)`, `TEL.13.1.4(e)(4)`), objectives, clauses, Annex B entries, defined
 * terms (`通信の秘密保持`), control titles and abbreviations (`DoS`). Unknown input exits 2 with
 * suggestions.
 */
import { CatalogLoadError, loadCatalog } from '../../../catalog/src/load';
import { readRegularFile } from '../readText';
import { renderEditionControlMarkdown, renderMarkdown } from '../../../catalog/src/render';
import { lookupEditionId } from '../../../catalog/src/editionLookup';
import type { EditionChoice } from '../../../catalog/src/editions';
import type { CatalogIndex } from '../../../catalog/src/query';
import { parseItemLabel } from '../../../catalog/src/labels';
import { IoError, UsageError, parseArgs, type CliCommand, type CliIO } from './command';

export type Lang = 'ja' | 'en';

const USAGE = [
  'Usage: x1051 show <ID|term> [--lang ja|en] [--edition 2013|2022] [--catalog <catalog.json>]',
  '',
  'Prints the full guidance of a control, an item, an objective, a clause, an Annex B entry,',
  'a defined term or an abbreviation. ISO/IEC 27002:2022 ids (27002:2022 8.15, A.8.15, 8.15 TEL)',
  'and known ISO/IEC 27011:2024 TEL ids (5.42 TEL) print the title, theme, the X.1051:2016',
  'controls they map from and those controls\' telecom guidance.',
  '',
  'Examples:',
  '  x1051 show TEL.18.1.6',
  '  x1051 show "TEL.18.1.6 e)" --lang en',
  '  x1051 show "TEL.18.1.6 guideline g)"      (the form of messages and exports)',
  '  x1051 show TEL.13.1.4(e)(4)',
  '  x1051 show 通信の秘密保持',
  '  x1051 show DoS',
  '  x1051 show "27002:2022 8.15"',
  '  x1051 show A.5.1 --edition 2022',
  '',
  'Options:',
  '  --lang ja|en        language of the text (default: from LANG, else en)',
  '  --edition 2013|2022 numbering of ambiguous ids (A.5.1: 2013 objective or 2022 control)',
  '                      and of bare ones (8.15)',
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

/**
 * The catalogue from `--catalog`, or the bundled one. A file that cannot be read or is not a
 * catalogue is an `IoError` (exit 2) whose one-line message names the file and the reason,
 * never the file's bytes.
 */
export function catalogFor(option: string | true | undefined): CatalogIndex {
  if (option === true) throw new UsageError('--catalog needs a file');
  if (option !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readRegularFile(option);
    } catch (e) {
      throw new IoError(`cannot read the catalogue ${option}: ${(e as Error).message}`);
    }
    try {
      JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new IoError(`cannot read the catalogue ${option}: not valid JSON (a compiled catalogue is built by npm run build)`);
    }
  }
  try {
    return loadCatalog(option);
  } catch (e) {
    if (e instanceof CatalogLoadError) throw new IoError(firstLineOf(e.message));
    throw e;
  }
}

const firstLineOf = (s: string) => s.split('\n', 1)[0];

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

/** The Markdown of the item a human label names, when the query is one. */
function renderLabelled(index: CatalogIndex, query: string, lang: Lang): string | undefined {
  const item = parseItemLabel(query, index);
  return item ? renderMarkdown(index, item.id, lang) : undefined;
}

/** The `show` command. */
export const showCommand: CliCommand = {
  name: 'show',
  summary: 'print the guidance of a control, item, term or abbreviation',
  usage: USAGE,
  run(args: string[], io: CliIO): number {
    const { positionals, options } = parseArgs(args);
    for (const name of options.keys()) {
      if (name !== 'lang' && name !== 'catalog' && name !== 'edition') throw new UsageError(`unknown option --${name}`);
    }
    const editionOpt = options.get('edition');
    if (editionOpt !== undefined && editionOpt !== '2013' && editionOpt !== '2022') throw new UsageError(`--edition must be 2013 or 2022, not '${String(editionOpt)}'`);
    const edition = editionOpt as EditionChoice | undefined;
    const lang = chooseLang(options.get('lang'), io.env);
    // "TEL.18.1.6 e)" may arrive as two arguments when not quoted.
    const query = positionals.join(' ').trim();
    if (query === '') throw new UsageError('which id or term? (e.g. x1051 show TEL.18.1.6)');
    const index = catalogFor(options.get('catalog'));
    const other = lookupEditionId(index, query, edition);
    if (other?.kind === 'ambiguous') {
      const o = other.objective;
      const c = other.control;
      io.stderr(
        `x1051 show: '${query}' is objective ${o.id} ${o.title[lang]} in ISO/IEC 27002:2013 and control ${c.id} ${c.title[lang]} in ISO/IEC 27002:2022; ` +
          `say which with --edition 2013 or --edition 2022.\n`,
      );
      return 2;
    }
    if (other?.kind === 'unknown') {
      const known = other.edition === '27011:2024' ? ` (the 2024 number is known only for ${index.editions.tel2024().map((t) => t.id).join(', ')})` : ' (2022 controls are 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34)';
      io.stderr(`x1051 show: '${query}' is not a control of ISO/IEC ${other.edition}${known}.\n`);
      return 2;
    }
    // Every form an output prints: ids ("TEL.18.1.6[2](g)"), and the human label of messages and
    // exports ("TEL.18.1.6 guideline g)", "TEL.18.1.6 指針 g)"), which names the list in words.
    const markdown = other ? renderEditionControlMarkdown(index, other.control, lang) : renderMarkdown(index, query, lang) ?? renderLabelled(index, query, lang);
    if (markdown === undefined) {
      const suggestions = [...new Set([...index.didYouMean(query, 3), ...index.search(query, undefined, 3).map((r) => r.id)])].slice(0, 5);
      const as2022 = lookupEditionId(index, query, '2022');
      const hint2022 = as2022?.kind === 'edition-control' ? ` As ISO/IEC 27002:2022 it is ${as2022.control.id} ${as2022.control.title[lang]}: add --edition 2022 (or write A.${as2022.control.id}).` : '';
      const hint = (suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '') + hint2022;
      io.stderr(`x1051 show: '${query}' is not a control, item, term or abbreviation of X.1051.${hint}\n`);
      return 2;
    }
    io.stdout(markdownToTerminal(markdown, io.isTTY).trimEnd() + '\n');
    return 0;
  },
};
