/**
 * `x1051 catalog [--format text|json]`: the compiled catalogue, as a table of controls or as JSON
 * for other tools (the JSON is `dist/catalog.json`: controls with their items, levels, texts and
 * evidence terms, definitions, abbreviations, errata).
 */
import { UsageError, maxOf, parseArgs, type CliCommand, type CliIO } from './command';
import { catalogFor, chooseLang } from './show';

const USAGE = [
  'Usage: x1051 catalog [--format text|json] [--lang ja|en] [--catalog <catalog.json>]',
  '',
  'Prints the control catalogue: one line per control (text), or the whole compiled catalogue',
  '(json: {version: 1, meta, clauses, objectives, controls: [{id, kind, title, items: [{id, list,',
  'label, level, text, terms, …}]}], annexB, definitions, abbreviations, editions: {"27002:2022":',
  '{controls: [{id, title: {ja, en}, theme, jaTitle, from}]}, "27011:2024": {telControls,',
  'controls: [{id, title, theme, from, source, basis}]}}}).',
  '',
].join('\n');

const KIND_LABEL = { tel: 'TEL', 'iso-telecom': 'ISO+telecom', 'iso-as-is': 'ISO as-is' } as const;

/** The `catalog` command. */
export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary: 'print the control catalogue (text table or JSON)',
  usage: USAGE,
  run(args: string[], io: CliIO): number {
    const { positionals, options } = parseArgs(args);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    for (const name of options.keys()) {
      if (!['format', 'lang', 'catalog'].includes(name)) throw new UsageError(`unknown option --${name}`);
    }
    const format = options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${String(format)}'`);
    const index = catalogFor(options.get('catalog'));
    if (format === 'json') {
      // Contract version 1: the compiled catalogue, with `editions` (ISO/IEC 27002:2022 controls
      // and the known ISO/IEC 27011:2024 TEL numbers, each with the X.1051:2016 ids it maps from).
      io.stdout(JSON.stringify({ version: 1, ...index.catalog }, null, 2) + '\n');
      return 0;
    }
    const lang = chooseLang(options.get('lang'), io.env);
    const controls = index.allControls();
    const width = maxOf(controls.map((c) => c.id.length), 0);
    const lines = controls.map((c) => {
      const items = c.items.length > 0 ? `  (${c.items.length} ${lang === 'ja' ? '項目' : c.items.length === 1 ? 'item' : 'items'})` : '';
      return `${c.id.padEnd(width)}  ${KIND_LABEL[c.kind].padEnd(11)}  ${c.title[lang]}${items}`;
    });
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
