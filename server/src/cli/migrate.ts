/**
 * `x1051 migrate [paths…] [--to 2022|2013] [--format md|json] [--lang ja|en] [--config FILE]`
 *
 * Lists every citation of the policies with its counterpart in the other numbering, the text
 * that would rewrite it, and what a one-to-many mapping leaves for the author to decide. It
 * changes no file: the rewriting is done in the editor, one citation at a time, with the code
 * actions "Rewrite in … numbering" and "Add the … number beside".
 */
import { parseArgs, UsageError, type CliCommand, type CliIO } from './command';
import { openWorkspace } from './check';
import { escapeMarkdownCell } from './formatters';
import { migrationEntries, type MigrationTarget } from '../service/migrate';
import type { Lang } from '../service/types';

const USAGE = [
  'Usage: x1051 migrate [paths…] [--to 2022|2013] [--format md|json] [--lang ja|en] [--config FILE]',
  '',
  'Lists every control citation of the policies under the given paths (default: the current',
  'folder) with its counterpart in the other numbering: --to 2022 (default) maps X.1051:2016 /',
  'ISO/IEC 27002:2013 ids to ISO/IEC 27002:2022 (and TEL ids to ISO/IEC 27011:2024 where the',
  '2024 number is known); --to 2013 maps 2022 ids back. Says what each one-to-many mapping needs',
  'the author to decide. Changes no file (rewrite in the editor with the code actions).',
  '',
  'Options:',
  '  --to 2022|2013        target numbering (default 2022)',
  '  --format md|json      output format (default md)',
  '  --lang ja|en          language of titles and notes (default: from LANG, else en)',
  '  --config FILE         use this config (default: .x1051.yaml found upwards)',
  '  --catalog FILE        use this compiled catalogue',
  '',
  'Exit codes: 0 printed, 2 usage or I/O error.',
  '',
].join('\n');

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'list citations with their counterparts in the other numbering (2013 ↔ 2022)',
  usage: USAGE,
  run(args: string[], io: CliIO): number {
    const { positionals, options } = parseArgs(args);
    for (const k of options.keys()) if (!['to', 'format', 'lang', 'config', 'catalog'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const to = options.get('to') ?? '2022';
    if (to !== '2022' && to !== '2013') throw new UsageError(`--to must be 2022 or 2013, not '${String(to)}'`);
    const format = options.get('format') ?? 'md';
    if (format !== 'md' && format !== 'json') throw new UsageError(`--format must be md or json, not '${String(format)}'`);
    const ws = openWorkspace(positionals, options, io);
    for (const e of ws.errors) io.stderr(`x1051 migrate: ${e}\n`);
    if (ws.documents.length === 0) {
      io.stderr('x1051 migrate: no Markdown files found\n');
      return 2;
    }
    const locale = io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG || '';
    const lang: Lang = ws.lang ?? (/^ja/i.test(locale) ? 'ja' : 'en');
    const files = ws.documents.map((d) => {
      const analysis = ws.service.analyze(d.doc, d.config.config);
      return { path: ws.display(d.doc.uri), edition: analysis.edition, entries: migrationEntries(analysis, ws.service.catalog, d.doc.getText(), to as MigrationTarget) };
    });
    const all = files.flatMap((f) => f.entries);
    const summary = { files: files.length, citations: all.length, rewritable: all.filter((e) => e.rewrite !== undefined).length, notes: all.filter((e) => e.note !== undefined).length };
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            version: 1,
            to,
            files: files.map((f) => ({
              path: f.path,
              edition: f.edition,
              citations: f.entries.map((e) => ({ line: e.range.start.line + 1, ...e })),
            })),
            summary,
          },
          null,
          2,
        ) + '\n',
      );
      return ws.errors.length > 0 ? 2 : 0;
    }
    const target = to === '2022' ? 'ISO/IEC 27002:2022' : 'X.1051:2016 / ISO/IEC 27002:2013';
    const h = lang === 'ja' ? ['行', '引用', `対応（${to}）`, '書き換え', '注意'] : ['Line', 'Cited', `Counterpart (${to})`, 'Rewrite', 'Note'];
    const out = [lang === 'ja' ? `# ${target} の番号への移行` : `# Migration to ${target} numbering`, ''];
    for (const f of files) {
      out.push(`## ${f.path}`, '');
      if (f.entries.length === 0) {
        out.push(lang === 'ja' ? '移行する引用はありません。' : 'No citation to migrate.', '');
        continue;
      }
      out.push(`| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`);
      for (const e of f.entries) {
        const counterpart = e.counterparts.map((c) => `${c.id} ${c.title[lang]}`).join('; ') || '—';
        out.push(`| ${[String(e.range.start.line + 1), e.written, counterpart, e.rewrite ?? '—', e.note?.[lang] ?? ''].map(escapeMarkdownCell).join(' | ')} |`);
      }
      out.push('');
    }
    out.push(
      lang === 'ja'
        ? `${summary.files} 文書、引用 ${summary.citations} 件（書き換え可能 ${summary.rewritable} 件、判断が必要なもの・注意 ${summary.notes} 件）`
        : `${summary.files} files, ${summary.citations} citations (${summary.rewritable} can be rewritten, ${summary.notes} with a decision or note)`,
    );
    io.stdout(out.join('\n') + '\n');
    return ws.errors.length > 0 ? 2 : 0;
  },
};
