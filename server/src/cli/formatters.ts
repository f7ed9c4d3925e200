/**
 * Output formats of `x1051 check` (stylish, json, sarif) and `x1051 coverage` (md, csv, json).
 *
 * JSON contract of `check --format json` (version 1). Lines in `line` are 1-based; every `range`
 * is an LSP range (0-based line, 0-based UTF-16 character):
 * ```
 * { version: 1, tool: {name, version},
 *   files: [{ path, lang,
 *     edition?: { edition?: '2013'|'2022', how: 'front-matter'|'config'|'inferred'|'undecided' },
 *     claims: [{ control, line, how: 'heading'|'front-matter', range, missing: [item id],
 *                via?: { id, edition: '27002:2022'|'27011:2024' },   // claimed through another edition's id
 *                items: [{ id, list, label, name, level, addressed, status: addressed|weak|missing,
 *                          near?: {range, term, reason, heading?}, notApplicable?: {reason}, evidence?: {range, term} }] }],
 *     diagnostics: [{ code, severity, message, range, control?, item?, data? }] }],
 *   configs: [{ path, diagnostics: [...] }],
 *   errors: [string],
 *   summary: { files, errors, warnings, information, hints, claims, itemsAddressed, itemsMissing, itemsNotApplicable } }
 * ```
 */
import { claimingDocuments, type Coverage, type DocumentCoverage } from '../service/coverage';
import type { Coverage2022 } from '../service/coverage2022';
import { escapeControls, maxOf } from './command';
import { RULES, itemLabel } from '../service/rules';
import type { DocumentAnalysis, Finding, Lang, Severity } from '../service/types';

/** One checked file, ready for output. */
export interface CheckedFile {
  path: string;
  /** The file's absolute `file:` uri (SARIF locations); without it `path` is encoded. */
  uri?: string;
  analysis?: DocumentAnalysis;
  findings: Finding[];
}

/** A config file with its findings. */
export interface CheckedConfig {
  path: string;
  uri?: string;
  findings: Finding[];
}

export interface CheckReport {
  files: CheckedFile[];
  configs: CheckedConfig[];
  errors: string[];
  toolVersion: string;
  /** `file:` uri of the folder paths are relative to (ending in `/`): SARIF's `%SRCROOT%`. */
  rootUri?: string;
}

/** Counts per severity and item totals. */
export function summarize(report: CheckReport) {
  const s = { files: report.files.length, errors: 0, warnings: 0, information: 0, hints: 0, claims: 0, itemsAddressed: 0, itemsMissing: 0, itemsNotApplicable: 0 };
  const count = (f: Finding) => {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else if (f.severity === 'information') s.information++;
    else s.hints++;
  };
  for (const f of report.files) {
    f.findings.forEach(count);
    for (const c of f.analysis?.claims ?? []) {
      s.claims++;
      for (const it of c.items) {
        if (it.notApplicable) s.itemsNotApplicable++;
        else if (it.addressed) s.itemsAddressed++;
        else s.itemsMissing++;
      }
    }
  }
  for (const c of report.configs) c.findings.forEach(count);
  return s;
}

const jsonFinding = (f: Finding) => {
  const o: Record<string, unknown> = { code: f.code, severity: f.severity, message: f.message, range: f.range };
  if (f.control) o.control = f.control;
  if (f.item) o.item = f.item;
  if (f.data) o.data = f.data;
  return o;
};

/** `--format json`. */
export function formatJson(report: CheckReport): string {
  const out = {
    version: 1,
    tool: { name: 'x1051', version: report.toolVersion },
    files: report.files.map((f) => ({
      path: f.path,
      lang: f.analysis?.lang ?? null,
      ...(f.analysis?.edition ? { edition: f.analysis.edition } : {}),
      claims: (f.analysis?.claims ?? []).map((c) => ({
        control: c.control,
        line: c.range.start.line + 1,
        how: c.how,
        range: c.range,
        missing: claimMissing(f.analysis!.claims, c),
        ...(c.via ? { via: { id: c.via.id, edition: c.via.edition } } : {}),
        items: c.items.map((st) => {
          const o: Record<string, unknown> = { id: st.item.id, list: st.item.list, label: st.item.label, name: itemLabel(st.item, f.analysis!.lang), level: st.item.level, addressed: st.addressed, status: st.status ?? (st.addressed ? 'addressed' : 'missing') };
          if (st.near) o.near = { range: st.near.range, term: st.near.term, reason: st.near.reason, ...(st.near.heading !== undefined ? { heading: st.near.heading } : {}) };
          if (st.notApplicable) o.notApplicable = { reason: st.notApplicable.reason };
          if (st.evidence) o.evidence = { range: st.evidence.range, term: st.evidence.term };
          return o;
        }),
      })),
      diagnostics: f.findings.map(jsonFinding),
    })),
    configs: report.configs.map((c) => ({ path: c.path, diagnostics: c.findings.map(jsonFinding) })),
    errors: report.errors,
    summary: summarize(report),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * Ids of the claim's items that the document leaves unaddressed: addressed or marked not
 * applicable by no claim of the same control in the document (as missing-item and coverage's
 * `claims[].missing` count them).
 */
function claimMissing(claims: DocumentAnalysis['claims'], claim: DocumentAnalysis['claims'][number]): string[] {
  const done = new Set<string>();
  for (const c of claims) if (c.control === claim.control) for (const st of c.items) if (st.addressed || st.notApplicable) done.add(st.item.id);
  return claim.items.filter((st) => !done.has(st.item.id)).map((st) => st.item.id);
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** `--format sarif`: SARIF 2.1.0, one run, rules from the registry, 1-based regions in UTF-16 columns. */
export function formatSarif(report: CheckReport, lang: Lang): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const results: unknown[] = [];
  // A location is relative to %SRCROOT% when the file is under it, else absolute. Uris come
  // from Node's file-URL encoder (`#` → %23, `?` → %3F), never from encodeURI on a path.
  const location = (path: string, uri: string | undefined) => {
    if (uri && report.rootUri && uri.startsWith(report.rootUri)) return { uri: uri.slice(report.rootUri.length), uriBaseId: '%SRCROOT%' };
    if (uri) return { uri };
    return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const push = (path: string, uri: string | undefined, f: Finding) => {
    const props: Record<string, unknown> = { severity: f.severity };
    if (f.control) props.control = f.control;
    if (f.item) props.item = f.item;
    // A folded missing-item finding names its items here.
    if (Array.isArray(f.data?.items)) props.items = f.data.items;
    results.push({
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: location(path, uri),
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        },
      ],
      properties: props,
    });
  };
  for (const f of report.files) for (const d of f.findings) push(f.path, f.uri, d);
  for (const c of report.configs) for (const d of c.findings) push(c.path, c.uri, d);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'x1051',
            version: report.toolVersion,
            informationUri: 'https://github.com/x1051/x1051',
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code.replace(/-(.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase()),
              shortDescription: { text: r.description[lang] },
              fullDescription: { text: r.description[lang] },
              helpUri: r.docs,
              defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
              properties: { tags: r.tags },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        ...(report.rootUri ? { originalUriBaseIds: { '%SRCROOT%': { uri: report.rootUri } } } : {}),
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** `--format stylish` (the default): grouped by file, like ESLint's. */
export function formatStylish(report: CheckReport, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevText: Record<Severity, string> = { error: c('31', 'error'), warning: c('33', 'warning'), information: c('36', 'info'), hint: c('2', 'hint') };
  const lines: string[] = [];
  const section = (path: string, findings: Finding[]) => {
    if (findings.length === 0) return;
    // Author text (file names, messages quoting directive arguments or headings) is escaped:
    // a control character could otherwise drive the terminal (clear it, set its title).
    lines.push(c('4', escapeControls(path)));
    const rows = findings.map((f) => [`${f.range.start.line + 1}:${f.range.start.character + 1}`, f.severity, escapeControls(f.message), escapeControls(f.code)] as const);
    const w0 = maxOf(rows.map((r) => r[0].length), 0);
    const w1 = maxOf(rows.map((r) => (r[1] === 'information' ? 4 : r[1].length)), 0);
    for (const [pos, sev, msg, code] of rows) {
      const sevLen = sev === 'information' ? 4 : sev.length;
      lines.push(`  ${c('2', pos.padEnd(w0))}  ${sevText[sev]}${' '.repeat(w1 - sevLen)}  ${msg}  ${c('2', code)}`);
    }
    lines.push('');
  };
  for (const f of report.files) section(f.path, f.findings);
  for (const cf of report.configs) section(cf.path, cf.findings);
  const s = summarize(report);
  const problems = s.errors + s.warnings + s.information + s.hints;
  if (problems === 0 && report.errors.length > 0) {
    lines.push(`${c('31', '✖')} ${report.errors.length} path${report.errors.length === 1 ? '' : 's'} could not be checked (see above); ${s.files} file${s.files === 1 ? '' : 's'} checked`);
  } else if (problems === 0) {
    lines.push(`${c('32', '✔')} ${s.files} file${s.files === 1 ? '' : 's'} checked, no problems`);
  } else {
    const mark = s.errors > 0 ? c('31', '✖') : s.warnings > 0 ? c('33', '✖') : c('36', 'ℹ');
    lines.push(`${mark} ${problems} problem${problems === 1 ? '' : 's'} (${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.information} info, ${s.hints} hint${s.hints === 1 ? '' : 's'}) in ${s.files} file${s.files === 1 ? '' : 's'}`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------------------------

/** Japanese labels of applicability and status values in printed tables (JSON keeps the codes). */
const JA_WORDS: Record<string, string> = {
  applicable: '適用',
  excluded: '除外',
  undecided: '未決定',
  addressed: '記述済み',
  partial: '一部未記述',
  missing: '未記述',
  cited: '引用のみ（未検査）',
  'not-applicable': '適用外',
  'not-claimed': '未引用',
};

/** A coverage row as printed. */
export interface CoverageRow {
  control: string;
  title: string;
  applicability: string;
  justification: string;
  status: string;
  addressedAt: string[];
  missing: string[];
  notApplicable: string[];
}

/**
 * A control's status as printed: the union's status, plus how many claiming documents still have
 * gaps when that differs ("addressed (1 of 2 claiming documents has gaps)"); `cited` says that
 * x1051 does not check it.
 */
export function statusText(c: Coverage['controls'][number], lang: Lang): string {
  if (c.status === 'cited') return lang === 'ja' ? JA_WORDS.cited : 'cited (not checked)';
  const word = lang === 'ja' ? JA_WORDS[c.status] ?? c.status : c.status;
  // Only an addressed control can hide a document's gaps: when the union misses an item, every
  // claiming document misses it too.
  if (c.status !== 'addressed') return word;
  const { documents, withGaps } = claimingDocuments(c);
  if (withGaps === 0) return word;
  return lang === 'ja'
    ? `${word}（引用している文書 ${documents} 件中 ${withGaps} 件に未記述あり）`
    : `${word} (${withGaps} of ${documents} claiming documents ${withGaps === 1 ? 'has' : 'have'} gaps)`;
}

/** Flattens coverage into rows; `where(uri, line)` renders a location ("docs/a.md:12"). */
export function coverageRows(cov: Coverage, lang: Lang, where: (uri: string, line: number) => string): CoverageRow[] {
  const word = (w: string) => (lang === 'ja' ? JA_WORDS[w] ?? w : w);
  return cov.controls.map((c) => ({
    control: c.id,
    title: c.title[lang],
    applicability: word(c.applicability),
    justification: (c.justificationText?.[lang] ?? c.justification ?? '') + (c.profile ? (lang === 'ja' ? `（プロファイル ${c.profile}）` : ` (profile ${c.profile})`) : ''),
    status: statusText(c, lang),
    addressedAt: c.claims.map(
      (cl) =>
        where(cl.uri, cl.range.start.line + 1) +
        (cl.heading ? ` (${cl.heading})` : '') +
        (cl.missing.length > 0 ? (lang === 'ja' ? ` [未記述 ${cl.missing.length}]` : ` [${cl.missing.length} missing]`) : ''),
    ),
    missing: c.items.filter((i) => i.status === 'missing').map((i) => `${i.labelText[lang]} ${i.subject[lang]}`),
    notApplicable: c.items
      .filter((i) => i.status === 'not-applicable')
      .map((i) => `${i.labelText[lang]}: ${i.notApplicable?.text?.[lang] ?? i.notApplicable?.reason ?? ''}${i.notApplicable?.profile ? (lang === 'ja' ? `（プロファイル ${i.notApplicable.profile}）` : ` (profile ${i.notApplicable.profile})`) : ''}`),
  }));
}

/**
 * Escapes author text for a Markdown table cell: HTML-significant characters become entities
 * (a heading or justification containing `<script>` stays text), Markdown punctuation is
 * backslash-escaped, pipes cannot end the cell, and line breaks become spaces.
 */
export function escapeMarkdownCell(s: string): string {
  return escapeControls(s.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

/**
 * Quotes a CSV field (RFC 4180). A field a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading apostrophe.
 */
export function csvField(s: string): string {
  let v = s;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const HEADERS: Record<Lang, string[]> = {
  en: ['Control', 'Title', 'Applicability', 'Justification', 'Status', 'Addressed at', 'Missing items', 'Not applicable'],
  ja: ['管理策', '表題', '適用', '除外の理由', '状態', '記述箇所', '未記述の項目', '適用外の項目'],
};

/** `coverage --format md`. */
export function formatCoverageMarkdown(rows: CoverageRow[], lang: Lang, summary: Coverage['summary']): string {
  const h = HEADERS[lang];
  const out = [
    lang === 'ja' ? '# 適用宣言書（X.1051）' : '# Statement of Applicability (X.1051)',
    '',
    `| ${h.join(' | ')} |`,
    `|${h.map(() => '---').join('|')}|`,
  ];
  for (const r of rows) {
    const cells = [r.control, r.title, r.applicability, r.justification, r.status, r.addressedAt.join(', '), r.missing.join('; '), r.notApplicable.join('; ')];
    out.push(`| ${cells.map(escapeMarkdownCell).join(' | ')} |`);
  }
  out.push('');
  out.push(
    lang === 'ja'
      ? `記述済み ${summary.addressed}、一部 ${summary.partial}、未記述 ${summary.missing}、引用のみ（未検査） ${summary.cited}、適用外 ${summary['not-applicable']}、未引用 ${summary['not-claimed']}`
      : `addressed ${summary.addressed}, partial ${summary.partial}, missing ${summary.missing}, cited (not checked) ${summary.cited}, not applicable ${summary['not-applicable']}, not claimed ${summary['not-claimed']}`,
  );
  return out.join('\n') + '\n';
}

/**
 * The documents of the policy set with owner, version, approval and next review (their front
 * matter), as a second Markdown table after the SoA; empty when no document carries metadata.
 */
export function formatDocumentsMarkdown(documents: DocumentCoverage[], lang: Lang, display: (uri: string) => string): string {
  if (!documents.some((d) => d.owner || d.version || d.nextReview || d.approved)) return '';
  const h = lang === 'ja' ? ['文書', '所管', '版', '承認者', '承認日', '次回見直し'] : ['Document', 'Owner', 'Version', 'Approved by', 'Approved', 'Next review'];
  const overdue = lang === 'ja' ? '（期限超過）' : ' (overdue)';
  const out = ['', lang === 'ja' ? '## 文書' : '## Documents', '', `| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`];
  for (const d of documents) {
    const cells = [display(d.uri), d.owner ?? '', d.version ?? '', d.approvedBy ?? '', d.approved ?? '', d.nextReview ? d.nextReview + (d.reviewOverdue ? overdue : '') : ''];
    out.push(`| ${cells.map(escapeMarkdownCell).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

/** `coverage --format csv`. */
export function formatCoverageCsv(rows: CoverageRow[], lang: Lang): string {
  const lines = [HEADERS[lang].map(csvField).join(',')];
  for (const r of rows) {
    lines.push([r.control, r.title, r.applicability, r.justification, r.status, r.addressedAt.join('; '), r.missing.join('; '), r.notApplicable.join('; ')].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// Coverage in ISO/IEC 27002:2022 numbering (`coverage --edition 2022`)
// ---------------------------------------------------------------------------------------------

const THEME_WORDS: Record<string, Record<Lang, string>> = {
  organizational: { en: 'organizational', ja: '組織的' },
  people: { en: 'people', ja: '人的' },
  physical: { en: 'physical', ja: '物理的' },
  technological: { en: 'technological', ja: '技術的' },
};

const HEADERS_2022: Record<Lang, string[]> = {
  en: ['Control (2022)', 'Title', 'Theme', 'Applicability', 'Status', 'X.1051:2016', 'Addressed at', 'Missing items'],
  ja: ['管理策（2022）', '表題', 'テーマ', '適用', '状態', 'X.1051:2016', '記述箇所', '未記述の項目'],
};

/**
 * Rows of the 2022 SoA: one per 2022 control (and TEL control), then one per X.1051:2016 control
 * it maps from ("↳ 12.4.1 …") with that control's status, places and missing items.
 */
export function coverage2022Rows(cov: Coverage2022, lang: Lang, where: (uri: string, line: number) => string): string[][] {
  const word = (w: string) => (lang === 'ja' ? JA_WORDS[w] ?? w : w);
  const rows: string[][] = [];
  for (const c of cov.controls) {
    const unknown = !c.numberKnown ? (lang === 'ja' ? '（2024 年版の番号は不明）' : ' (2024 number not known)') : '';
    const newNote = c.from.length === 0 ? (lang === 'ja' ? '2022 年版で新設（X.1051 の項目なし）' : 'new in 2022 (no X.1051 items)') : c.from.join(', ');
    const status = c.status === 'cited' ? (lang === 'ja' ? JA_WORDS.cited : 'cited (not checked)') : word(c.status);
    rows.push([
      c.id + unknown,
      c.title[lang],
      c.theme ? THEME_WORDS[c.theme][lang] : 'TEL',
      word(c.applicability),
      status,
      newNote,
      c.citedAt.map((l) => where(l.uri, l.range.start.line + 1)).join(', '),
      '',
    ]);
    if (!c.numberKnown) continue; // the one X.1051 control is the row itself
    for (const x of c.x1051) rows.push(...x1051Row(x, lang, where));
  }
  return rows;
}

function x1051Row(x: Coverage['controls'][number], lang: Lang, where: (uri: string, line: number) => string): string[][] {
  return [[
    `↳ ${x.id}`,
    x.title[lang],
    '',
    lang === 'ja' ? JA_WORDS[x.applicability] ?? x.applicability : x.applicability,
    statusText(x, lang),
    '',
    x.claims.map((cl) => where(cl.uri, cl.range.start.line + 1) + (cl.heading ? ` (${cl.heading})` : '')).join(', '),
    x.items.filter((i) => i.status === 'missing').map((i) => `${i.labelText[lang]} ${i.subject[lang]}`).join('; '),
  ]];
}

/** `coverage --edition 2022 --format md`. */
export function formatCoverage2022Markdown(cov: Coverage2022, lang: Lang, where: (uri: string, line: number) => string): string {
  const h = HEADERS_2022[lang];
  const out = [
    lang === 'ja'
      ? '# 適用宣言書（ISO/IEC 27001:2022 附属書A / 27002:2022、X.1051:2016 の項目付き）'
      : '# Statement of Applicability (ISO/IEC 27001:2022 Annex A / 27002:2022, with the X.1051:2016 items)',
    '',
    `| ${h.join(' | ')} |`,
    `|${h.map(() => '---').join('|')}|`,
  ];
  for (const r of coverage2022Rows(cov, lang, where)) out.push(`| ${r.map(escapeMarkdownCell).join(' | ')} |`);
  out.push('');
  const s = cov.summary;
  const known = cov.controls.filter((c) => c.edition === '27011:2024' && c.numberKnown).length;
  const tel = cov.controls.filter((c) => c.edition === '27011:2024').length;
  out.push(
    lang === 'ja'
      ? `記述済み ${s.addressed}、一部 ${s.partial}、未記述 ${s.missing}、引用のみ（未検査） ${s.cited}、適用外 ${s['not-applicable']}、未引用 ${s['not-claimed']}。TEL 管理策 ${tel} 件のうち ISO/IEC 27011:2024 の番号が分かるのは ${known} 件。`
      : `addressed ${s.addressed}, partial ${s.partial}, missing ${s.missing}, cited (not checked) ${s.cited}, not applicable ${s['not-applicable']}, not claimed ${s['not-claimed']}. ${known} of ${tel} TEL controls have a known ISO/IEC 27011:2024 number.`,
  );
  return out.join('\n') + '\n';
}

/** `coverage --edition 2022 --format csv`. */
export function formatCoverage2022Csv(cov: Coverage2022, lang: Lang, where: (uri: string, line: number) => string): string {
  const lines = [HEADERS_2022[lang].map(csvField).join(',')];
  for (const r of coverage2022Rows(cov, lang, where)) lines.push(r.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
