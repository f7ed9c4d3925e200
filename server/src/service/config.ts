/**
 * `.x1051.yaml`: parsing, validation and defaults (pure: text in, config and findings out).
 * Finding the file (upwards from a document) is the CLI's and the server's job.
 *
 * Format:
 * ```yaml
 * language: auto            # auto | ja | en — language of messages
 * include: ["**\/*.md"]     # globs, relative to the config file's folder
 * exclude: ["node_modules/**"]
 * applicability:            # Statement of Applicability decisions
 *   TEL.18.1.6: applicable
 *   12.4.2: { status: excluded, justification: "ログ基盤は親会社が運用する" }
 * severity:
 *   rules: { unclaimed-topic: off }                       # error | warning | information | hint | off
 *   levels: { required: error, informative: off }         # missing-item per item level
 * terms:                    # extra evidence terms per item id
 *   TEL.18.1.6(e): { ja: ["タイムスタンプ"], en: ["timestamp"] }
 * ```
 * Unknown keys are warnings; bad values are errors and the default is used instead.
 */
import { parseDocument, isMap, isSeq, isScalar, isAlias, type Node as YamlNode, type Document as YamlDocument } from 'yaml';
import type { CatalogIndex } from '../../../catalog/src/query';
import { normalizeId } from '../../../catalog/src/normalize';
import { LineIndex } from './text';
import type { Finding, ItemLevel, Lang, Range, RuleCode, ServiceOptions, Severity } from './types';

/** Applicability of a control, as declared in the config. */
export type Applicability = { status: 'applicable' } | { status: 'excluded'; justification: string };

/** A severity, or `off` to silence a rule or level. */
export type SeverityOrOff = Severity | 'off';

/** The configuration the service works with (`.x1051.yaml` merged over editor settings). */
export interface ResolvedConfig extends ServiceOptions {
  /** The config file's uri; undefined when defaults are used. */
  uri?: string;
  /** Globs of Markdown files to check, relative to the config file's folder. */
  include: string[];
  exclude: string[];
  applicability: Record<string, Applicability>;
  severity: {
    rules: Partial<Record<RuleCode, SeverityOrOff>>;
    levels: Partial<Record<ItemLevel, SeverityOrOff>>;
  };
  /** Extra evidence terms per item id. */
  terms: Record<string, { ja: string[]; en: string[] }>;
  /** Where entries stand in the config file (for findings on the config, e.g. uncovered-control). */
  ranges: { applicability: Record<string, Range>; file?: Range };
}

export const DEFAULT_INCLUDE = ['**/*.md'];
export const DEFAULT_EXCLUDE = ['node_modules/**'];

/** The defaults (what a missing config file means). */
export function defaultConfig(options?: Partial<ServiceOptions>): ResolvedConfig {
  return {
    language: options?.language ?? 'auto',
    fallbackLanguage: options?.fallbackLanguage ?? 'en',
    include: [...DEFAULT_INCLUDE],
    exclude: [...DEFAULT_EXCLUDE],
    applicability: {},
    severity: { rules: {}, levels: {} },
    terms: {},
    ranges: { applicability: {} },
  };
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const LEVELS = new Set(['required', 'recommended', 'informative']);
const RULES = new Set<string>([
  'missing-item', 'unknown-control', 'uncovered-control', 'unclaimed-topic',
  'invalid-front-matter', 'invalid-config', 'invalid-directive',
]);
const TOP_KEYS = new Set(['language', 'include', 'exclude', 'applicability', 'severity', 'terms']);
/** Aliases allowed before a file is refused (a guard against alias "billion laughs" bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses and validates a config file's text. Never throws: problems become `invalid-config`
 * findings with the offending range, and the affected setting keeps its default.
 */
export function parseConfig(
  text: string,
  uri: string,
  catalog?: CatalogIndex,
  options?: Partial<ServiceOptions>,
): { config: ResolvedConfig; findings: Finding[] } {
  const config = defaultConfig(options);
  config.uri = uri;
  const lines = new LineIndex(text);
  config.ranges.file = lines.range(0, Math.min(text.length, lines.lineEnd(0)));
  const findings: Finding[] = [];
  const report = (severity: Severity, message: string, node: { range?: [number, number, number] | null } | undefined | null, data?: Record<string, unknown>) => {
    const r = node?.range ? lines.range(node.range[0], node.range[1]) : config.ranges.file!;
    findings.push({ code: 'invalid-config', severity, message, range: r, ...(data ? { data } : {}) });
  };

  let doc: YamlDocument.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    report('error', `Cannot parse the config: ${(e as Error).message}`, undefined);
    return { config, findings };
  }
  for (const err of doc.errors) {
    findings.push({ code: 'invalid-config', severity: 'error', message: `YAML: ${firstLine(err.message)}`, range: lines.range(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1)) });
  }
  if (doc.errors.length > 0) return { config, findings };
  try {
    // Resolving every alias with a cap refuses exponential alias expansion up front.
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    report('error', `The config is refused: ${firstLine((e as Error).message)}`, undefined);
    return { config, findings };
  }
  const resolve = (n: unknown): YamlNode | null => (isAlias(n) ? (n.resolve(doc) as YamlNode | undefined) ?? null : (n as YamlNode | null));
  const root = resolve(doc.contents);
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config, findings };
  if (!isMap(root)) {
    report('error', 'The config must be a mapping of settings (language, include, exclude, applicability, severity, terms).', root);
    return { config, findings };
  }

  const stringList = (n: YamlNode | null, what: string): string[] | undefined => {
    if (n && isScalar(n) && typeof n.value === 'string') return [n.value];
    if (!n || !isSeq(n) || !n.items.every((i) => isScalar(resolve(i)) && typeof (resolve(i) as { value: unknown }).value === 'string')) {
      report('error', `${what} must be a list of strings; the default is used.`, n);
      return undefined;
    }
    return n.items.map((i) => String((resolve(i) as { value: unknown }).value));
  };

  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : '';
    const value = resolve(pair.value);
    if (!TOP_KEYS.has(key)) {
      report('warning', `Unknown setting "${key}" (known: ${[...TOP_KEYS].join(', ')}).`, keyNode);
      continue;
    }
    switch (key) {
      case 'language': {
        const v = value && isScalar(value) ? value.value : undefined;
        if (v === 'auto' || v === 'ja' || v === 'en') config.language = v as 'auto' | Lang;
        else report('error', 'language must be auto, ja or en; auto is used.', value ?? keyNode);
        break;
      }
      case 'include':
      case 'exclude': {
        const list = stringList(value, key);
        if (list) config[key] = list;
        break;
      }
      case 'applicability': {
        if (!value || !isMap(value)) {
          report('error', 'applicability must map control ids to applicable or {status: excluded, justification}.', value ?? keyNode);
          break;
        }
        for (const entry of value.items) {
          const k = entry.key as YamlNode;
          const rawId = isScalar(k) ? String(k.value) : '';
          const id = resolveControl(rawId, catalog);
          if (!id) {
            const dym = catalog ? catalog.didYouMean(rawId) : [];
            report('error', `Unknown control "${rawId}"${dym.length ? ` (did you mean ${dym.join(', ')}?)` : ''}.`, k, { candidates: dym });
            continue;
          }
          const v = resolve(entry.value);
          const decided = applicabilityOf(v, resolve);
          if (typeof decided === 'string') {
            report('error', `${id}: ${decided}`, v ?? k);
            continue;
          }
          config.applicability[id] = decided;
          if (k.range) config.ranges.applicability[id] = lines.range(k.range[0], (v?.range ?? k.range)[1]);
        }
        break;
      }
      case 'severity': {
        if (!value || !isMap(value)) {
          report('error', 'severity must be a mapping with rules and/or levels.', value ?? keyNode);
          break;
        }
        for (const sub of value.items) {
          const sk = sub.key as YamlNode;
          const name = isScalar(sk) ? String(sk.value) : '';
          const sv = resolve(sub.value);
          if (name !== 'rules' && name !== 'levels') {
            report('warning', `Unknown severity setting "${name}" (known: rules, levels).`, sk);
            continue;
          }
          if (!sv || !isMap(sv)) {
            report('error', `severity.${name} must be a mapping.`, sv ?? sk);
            continue;
          }
          const known = name === 'rules' ? RULES : LEVELS;
          for (const e of sv.items) {
            const ek = e.key as YamlNode;
            const ename = isScalar(ek) ? String(ek.value) : '';
            const ev = resolve(e.value);
            if (!known.has(ename)) {
              report('warning', `Unknown ${name === 'rules' ? 'rule' : 'level'} "${ename}" (known: ${[...known].join(', ')}).`, ek);
              continue;
            }
            const s = ev && isScalar(ev) ? String(ev.value) : '';
            if (!SEVERITIES.has(s)) {
              report('error', `Severity of ${ename} must be error, warning, information, hint or off; the default is used.`, ev ?? ek);
              continue;
            }
            (config.severity[name] as Record<string, SeverityOrOff>)[ename] = s as SeverityOrOff;
          }
        }
        break;
      }
      case 'terms': {
        if (!value || !isMap(value)) {
          report('error', 'terms must map item ids to {ja: [...], en: [...]}.', value ?? keyNode);
          break;
        }
        for (const e of value.items) {
          const ek = e.key as YamlNode;
          const raw = isScalar(ek) ? String(ek.value) : '';
          const id = resolveItemId(raw, catalog);
          if (!id) {
            report('error', `"${raw}" is not an item id of the catalogue (write it like TEL.18.1.6(e)).`, ek);
            continue;
          }
          const ev = resolve(e.value);
          if (!ev || !isMap(ev)) {
            report('error', `terms of ${id} must be {ja: [...], en: [...]}.`, ev ?? ek);
            continue;
          }
          const entry = { ja: [] as string[], en: [] as string[] };
          for (const l of ev.items) {
            const lk = l.key as YamlNode;
            const lang = isScalar(lk) ? String(lk.value) : '';
            if (lang !== 'ja' && lang !== 'en') {
              report('warning', `Unknown language "${lang}" in terms of ${id} (known: ja, en).`, lk);
              continue;
            }
            const list = stringList(resolve(l.value), `terms of ${id}.${lang}`);
            if (list) entry[lang] = list.filter((t) => t.trim() !== '');
          }
          config.terms[id] = entry;
        }
        break;
      }
    }
  }
  // The config's own severity setting for invalid-config applies to its findings too.
  const own = config.severity.rules['invalid-config'];
  if (own === 'off') return { config, findings: [] };
  return { config, findings: own ? findings.map((f) => ({ ...f, severity: own })) : findings };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function applicabilityOf(v: YamlNode | null, resolve: (n: unknown) => YamlNode | null): Applicability | string {
  if (v && isScalar(v)) {
    if (v.value === 'applicable') return { status: 'applicable' };
    if (v.value === 'excluded') return 'an excluded control needs a justification: {status: excluded, justification: "…"}.';
    return 'applicability must be applicable or {status: excluded, justification: "…"}.';
  }
  if (v && isMap(v)) {
    const get = (k: string) => {
      const n = resolve(v.get(k, true));
      return n && isScalar(n) ? n.value : undefined;
    };
    const status = get('status');
    if (status === 'applicable') return { status: 'applicable' };
    if (status === 'excluded') {
      const j = get('justification');
      if (typeof j !== 'string' || j.trim() === '') return 'an excluded control needs a non-empty justification.';
      return { status: 'excluded', justification: j.trim() };
    }
    return 'status must be applicable or excluded.';
  }
  return 'applicability must be applicable or {status: excluded, justification: "…"}.';
}

/** Canonical control id of a config key; bare numbers are accepted here (the key is an id). */
function resolveControl(raw: string, catalog?: CatalogIndex): string | undefined {
  const id = normalizeId(raw, catalog);
  if (!id || id.item) return undefined;
  return id.control;
}

function resolveItemId(raw: string, catalog?: CatalogIndex): string | undefined {
  if (catalog?.item(raw)) return raw;
  const id = normalizeId(raw, catalog);
  return id?.item;
}

/**
 * Converts a glob to a regular expression over `/`-separated relative paths: `**` crosses
 * folders, `*` and `?` do not, `{a,b}` alternates. A pattern without a slash matches at any depth
 * (as in .gitignore), and a folder pattern `dir/**` matches everything under it.
 */
export function globToRegExp(glob: string): RegExp {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  let inBrace = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        re += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBrace++;
      re += '(?:';
    } else if (c === '}' && inBrace > 0) {
      inBrace--;
      re += ')';
    } else if (c === ',' && inBrace > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when `relPath` (relative to the config's folder, `/`-separated) is checked under `config`. */
export function isIncluded(relPath: string, config: Pick<ResolvedConfig, 'include' | 'exclude'>): boolean {
  const p = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  const inc = config.include.some((g) => globToRegExp(g).test(p));
  return inc && !config.exclude.some((g) => globToRegExp(g).test(p));
}
