/**
 * `x1051 coverage [paths…] [--format md|csv|json] [--lang ja|en] [--config FILE]`
 *
 * Prints the Statement of Applicability: every catalogue control with its applicability (and
 * justification) from the config, where the policies address it (file:line), and the items
 * still missing. Author text is escaped for Markdown and quoted for CSV.
 */
import { escapeControls, parseArgs, UsageError, type CliCommand, type CliIO } from './command';
import { analyzeWithProgress, coverageByConfig, openWorkspace, parallelOptions } from './check';
import { coverageRows, formatCoverageCsv, formatCoverageMarkdown, formatCoverage2022Csv, formatCoverage2022Markdown, formatDocumentsMarkdown } from './formatters';
import { coverage2022 } from '../service/coverage2022';
import type { Lang } from '../service/types';
import type { Coverage } from '../service/coverage';

const USAGE = [
  'Usage: x1051 coverage [paths…] [--format md|csv|json] [--lang ja|en] [--edition 2013|2022] [--config FILE]',
  '',
  'Prints the Statement of Applicability of the policies under the given paths (default: the',
  'current folder): per control its applicability, status, where it is addressed and the',
  'items still missing.',
  '',
  'Options:',
  '  --format md|csv|json  output format (default md)',
  '  --lang ja|en          language of titles and headers (default: from LANG, else en)',
  '  --edition 2013|2022   numbering of the rows: X.1051:2016 / ISO/IEC 27002:2013 (default), or',
  '                        ISO/IEC 27002:2022 (93 controls + TEL controls) with the X.1051:2016',
  '                        controls and items underneath',
  '  --config FILE         use this config (default: .x1051.yaml found upwards)',
  '  --catalog FILE        use this compiled catalogue',
  '  --jobs N|auto         analyse files in N worker threads; 0: on the main thread (default auto: as for check)',
  '  --timeout MS          time budget of one document\'s analysis (default 5000)',
  '',
  'Exit codes: 0 printed, 2 usage or I/O error.',
  '',
].join('\n');

export const coverageCommand: CliCommand = {
  name: 'coverage',
  summary: 'print the Statement of Applicability (md, csv or json)',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { positionals, options } = parseArgs(args);
    for (const k of options.keys()) if (!['format', 'lang', 'config', 'catalog', 'edition', 'today', 'jobs', 'timeout'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const parallel = parallelOptions(options, io);
    const format = options.get('format') ?? 'md';
    if (format !== 'md' && format !== 'csv' && format !== 'json') throw new UsageError(`--format must be md, csv or json, not '${String(format)}'`);
    const edition = options.get('edition') ?? '2013';
    if (edition !== '2013' && edition !== '2022') throw new UsageError(`--edition must be 2013 or 2022, not '${String(edition)}'`);
    const ws = openWorkspace(positionals, options, io);
    await analyzeWithProgress(ws, parallel, options, io, 'coverage');
    const results = coverageByConfig(ws);
    // The governing config: --config, else the one of the first document (or the first found).
    const chosen = results.find((r) => r.config.file && ws.documents.some((d) => d.config === r.config)) ?? results[0];
    const locale = io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG || '';
    const lang: Lang = ws.lang ?? (/^ja/i.test(locale) ? 'ja' : 'en');
    const where = (uri: string, line: number) => `${ws.display(uri)}:${line}`;
    for (const e of ws.errors) io.stderr(`x1051 coverage: ${escapeControls(e)}\n`);
    if (!chosen) {
      io.stderr('x1051 coverage: no Markdown files found\n');
      return 2;
    }
    const cov = chosen.coverage;
    if (edition === '2022') {
      const analyses = ws.documents.filter((d) => d.config === chosen.config).map((d) => ws.service.analyze(d.doc, d.config.config));
      const c22 = coverage2022(ws.service.catalog, cov, analyses);
      if (format === 'json') {
        const display = <T extends { uri: string }>(l: T) => ({ ...l, uri: undefined, path: ws.display(l.uri) });
        const x = (c: (typeof cov.controls)[number]) => ({
          ...c,
          decidedAt: c.decidedAt ? display(c.decidedAt) : undefined,
          claims: c.claims.map(display),
          items: c.items.map((i) => ({ ...i, evidence: i.evidence.map(display), notApplicable: i.notApplicable ? display(i.notApplicable) : undefined })),
        });
        io.stdout(
          JSON.stringify(
            {
              version: 1,
              edition: '27002:2022',
              config: chosen.config.file ? ws.display(chosen.config.file) : null,
              controls: c22.controls.map((c) => ({ ...c, citedAt: c.citedAt.map(display), x1051: c.x1051.map(x) })),
              findings: cov.findings.map(display),
              documents: (cov.documents ?? []).map(display),
              summary: c22.summary,
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        io.stdout(format === 'csv' ? formatCoverage2022Csv(c22, lang, where) : formatCoverage2022Markdown(c22, lang, where) + formatDocumentsMarkdown(cov.documents ?? [], lang, ws.display));
      }
      return ws.errors.length > 0 ? 2 : 0;
    }
    if (format === 'json') {
      const display = <T extends { uri: string }>(l: T) => ({ ...l, uri: undefined, path: ws.display(l.uri) });
      // Where and why an item does not apply, the reason in the report's language.
      const naOf = (na: Coverage['controls'][number]['items'][number]['notApplicable']) =>
        na ? Object.assign(display(na), { reason: na.text?.[lang] ?? na.reason }) : undefined;
      io.stdout(
        JSON.stringify(
          {
            version: 1,
            config: chosen.config.file ? ws.display(chosen.config.file) : null,
            controls: cov.controls.map((c) => ({
              ...c,
              decidedAt: c.decidedAt ? display(c.decidedAt) : undefined,
              justification: c.justificationText?.[lang] ?? c.justification,
              claims: c.claims.map(display),
              items: c.items.map((i) => ({ ...i, label: i.labelText[lang], evidence: i.evidence.map(display), notApplicable: naOf(i.notApplicable) })),
            })),
            findings: cov.findings.map(display),
            documents: (cov.documents ?? []).map(display),
            summary: cov.summary,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const rows = coverageRows(cov, lang, where);
      io.stdout(format === 'csv' ? formatCoverageCsv(rows, lang) : formatCoverageMarkdown(rows, lang, cov.summary) + formatDocumentsMarkdown(cov.documents ?? [], lang, ws.display));
    }
    return ws.errors.length > 0 ? 2 : 0;
  },
};
