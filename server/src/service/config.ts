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
 * profile: it-service       # a built-in applicability profile (profiles.ts)
 * notApplicable:            # controls or items that do not apply, one justification each
 *   TEL.13.1.6: "no interconnection"
 *   TEL.18.1.6[2](g): "no caller ID service"
 * severity:
 *   rules: { unclaimed-topic: off }                       # error | warning | information | hint | off
 *   levels: { required: error, informative: off }         # missing-item per item level
 * terms:                    # extra evidence terms per item id
 *   TEL.18.1.6(e): { ja: ["タイムスタンプ"], en: ["timestamp"] }
 * concepts:                 # extra words for thesaurus concepts (every item using the concept)
 *   supplier: { ja: ["協力会社"], en: ["delivery partner"] }
 * maxDocumentSize: 5242880  # bytes; larger documents are not checked
 * edition: auto             # 2013 | 2022 | auto — numbering of A.5.1-style and bare [8.15] ids
 * weakWording:              # the weak-wording rule's list
 *   add: { en: ["at management's discretion"], ja: ["原則として"] }
 *   remove: ["may"]
 *   inClaimedSections: warning   # severity inside a claimed section (default: the rule's)
 * metadata: required        # required | recommended — missing metadata is a warning everywhere
 * numberedHeadings: 0.5     # similarity to the title for `## 12.4.1 Event logging` to claim; or off
 * ```
 * Unknown keys are warnings; bad values are errors and the default is used instead.
 */
import { parseDocument, isMap, isSeq, isScalar, isAlias, type Node as YamlNode, type Document as YamlDocument } from 'yaml';
import type { CatalogIndex } from '../../../catalog/src/query';
import { normalizeId } from '../../../catalog/src/normalize';
import { lookupEditionId } from '../../../catalog/src/editionLookup';
import { LineIndex } from './text';
import { MAX_YAML_DEPTH, yamlNestingDepth } from './yamlGuard';
import { PROFILES, profileById } from './profiles';
import { RULES as RULE_REGISTRY } from './rules';
import type { Text } from '../../../catalog/src/types';
import type { Finding, ItemLevel, Lang, Range, RuleCode, ServiceOptions, Severity } from './types';

/**
 * Applicability of a control, as declared in the config. An exclusion that comes from a profile
 * has its justification in both languages (`text`); `justification` is then the English one.
 */
export type Applicability = { status: 'applicable' } | { status: 'excluded'; justification: string; text?: Text; profile?: string };

/** A control or item that does not apply, with its justification and where it was decided. */
export interface NotApplicableEntry {
  reason: Text;
  /** `config`: the file's `notApplicable`; otherwise the id of the profile. */
  from: string;
}

/**
 * Which numbering ambiguous ids (`A.5.1`: a 2013 objective and a 2022 control) and bare
 * two-component ids (`[8.15]`) are read in: `auto` infers it from the document's other citations.
 */
export type EditionSetting = '2013' | '2022' | 'auto';

/** A severity, or `off` to silence a rule or level. */
export type SeverityOrOff = Severity | 'off';

/** The configuration the service works with (`.x1051.yaml` merged over editor settings). */
export interface ResolvedConfig extends ServiceOptions {
  /** Always set once resolved (the default when neither the settings nor the file say). */
  maxDocumentSize: number;
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
  /** The selected applicability profile, when any (`profile:`). */
  profile?: string;
  /**
   * Controls and items that do not apply, by canonical id: the file's `notApplicable` over the
   * profile's. A control here is also `excluded` in `applicability`.
   */
  notApplicable: Record<string, NotApplicableEntry>;
  /** Numbering of ambiguous and bare two-component ids (`edition:`); a document's front matter wins. */
  edition: EditionSetting;
  /** The weak-wording list's additions and removals, and its severity inside claimed sections. */
  weakWording?: { add: { ja: string[]; en: string[] }; remove: string[]; inClaimedSections?: Severity };
  /**
   * Similarity (0–1) a heading's words need to a control's title for its leading number to claim
   * the control (`## 12.4.1 Event logging`), or `off`; default 0.5 (numberedHeadings.ts).
   */
  numberedHeadings?: number | 'off';
  /** `required`: every document needs owner, approval, version and review metadata (a warning). */
  metadata: 'required' | 'recommended';
  /**
   * Extra variants per thesaurus concept id (catalog/data/thesaurus.yaml); a new id defines a
   * concept that the config's own terms may refer to as `{id}`.
   */
  concepts: Record<string, { ja: string[]; en: string[] }>;
  /** Where entries stand in the config file (for findings on the config, e.g. uncovered-control). */
  ranges: { applicability: Record<string, Range>; notApplicable: Record<string, Range>; file?: Range };
}

export const DEFAULT_INCLUDE = ['**/*.md'];
export const DEFAULT_EXCLUDE = ['node_modules/**'];
/** Documents above this many bytes are not checked (5 MiB; `maxDocumentSize`). */
export const DEFAULT_MAX_DOCUMENT_SIZE = 5 * 1024 * 1024;

/** The defaults (what a missing config file means). */
export function defaultConfig(options?: Partial<ServiceOptions>): ResolvedConfig {
  return {
    language: options?.language ?? 'auto',
    fallbackLanguage: options?.fallbackLanguage ?? 'en',
    maxDocumentSize: options?.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE,
    ...(options?.today ? { today: options.today } : {}),
    include: [...DEFAULT_INCLUDE],
    exclude: [...DEFAULT_EXCLUDE],
    applicability: {},
    severity: { rules: {}, levels: {} },
    terms: {},
    notApplicable: {},
    edition: 'auto',
    metadata: 'recommended',
    ranges: { applicability: {}, notApplicable: {} },
    concepts: {},
  };
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const LEVELS = new Set(['required', 'recommended', 'informative']);
/** Rule codes, from the registry (so a new rule is known to the config without another list). */
const RULES = new Set<string>(RULE_REGISTRY.map((r) => r.code));
const TOP_KEYS = new Set(['language', 'include', 'exclude', 'applicability', 'profile', 'notApplicable', 'severity', 'terms', 'concepts', 'maxDocumentSize', 'edition', 'weakWording', 'metadata', 'numberedHeadings']);
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
  // Messages in the language of the run (--lang, the editor's setting), else the file's own
  // `language`, else the fallback (the UI locale, or English).
  const lang = messageLanguage(text, options);
  const report = (severity: Severity, message: string | Text, node: { range?: [number, number, number] | null } | undefined | null, data?: Record<string, unknown>) => {
    const r = node?.range ? lines.range(node.range[0], node.range[1]) : config.ranges.file!;
    findings.push({ code: 'invalid-config', severity, message: typeof message === 'string' ? message : message[lang], range: r, ...(data ? { data } : {}) });
  };

  if (yamlNestingDepth(text) > MAX_YAML_DEPTH) {
    report('error', { en: `The config is refused: it nests more than ${MAX_YAML_DEPTH} levels deep.`, ja: `設定ファイルを拒否しました: ${MAX_YAML_DEPTH} 段より深く入れ子になっています。` }, undefined);
    return { config, findings };
  }
  let doc: YamlDocument.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    report('error', { en: `Cannot parse the config: ${(e as Error).message}`, ja: `設定ファイルを解析できません: ${(e as Error).message}` }, undefined);
    return { config, findings };
  }
  for (const err of doc.errors) {
    // The library's own words name its API ("please use YAML.parseAllDocuments()"): say what to change instead.
    const message = err.code === 'MULTIPLE_DOCS' ? 'The config holds more than one YAML document (a `---` or `...` line): keep one document, the settings are not read.' : `YAML: ${firstLine(err.message)}`;
    findings.push({ code: 'invalid-config', severity: 'error', message, range: lines.range(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1)) });
  }
  if (doc.errors.length > 0) return { config, findings };
  // Warnings are mostly unknown tags (`!!js/function`, `!!python/object`): YAML tags are never
  // interpreted here, the value is read as plain data, and the author is told so.
  for (const w of doc.warnings) {
    findings.push({ code: 'invalid-config', severity: 'warning', message: lang === 'ja' ? `YAML: ${firstLine(w.message)}（タグは解釈しません。値はそのままの文字列として読みます）` : `YAML: ${firstLine(w.message)} (tags are not interpreted; the value is read as plain text)`, range: lines.range(w.pos[0], Math.max(w.pos[1], w.pos[0] + 1)) });
  }
  try {
    // Resolving every alias with a cap refuses exponential alias expansion up front.
    // mapAsMap: keys that are lists or mappings stay keys (no stringifying, no process warning);
    // they are reported below as keys that are not names.
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (e) {
    report('error', { en: `The config is refused: ${firstLine((e as Error).message)}`, ja: `設定ファイルを拒否しました: ${firstLine((e as Error).message)}` }, undefined);
    return { config, findings };
  }
  const resolve = (n: unknown): YamlNode | null => (isAlias(n) ? (n.resolve(doc) as YamlNode | undefined) ?? null : (n as YamlNode | null));
  const root = resolve(doc.contents);
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config, findings };
  if (!isMap(root)) {
    report('error', { en: 'The config must be a mapping of settings (language, include, exclude, applicability, profile, notApplicable, severity, terms).', ja: '設定ファイルは設定項目のマッピング（language、include、exclude、applicability、profile、notApplicable、severity、terms など）でなければなりません。' }, root);
    return { config, findings };
  }

  const stringList = (n: YamlNode | null, what: string): string[] | undefined => {
    if (n && isScalar(n) && typeof n.value === 'string') return [n.value];
    if (!n || !isSeq(n) || !n.items.every((i) => isScalar(resolve(i)) && typeof (resolve(i) as { value: unknown }).value === 'string')) {
      report('error', { en: `${what} must be a list of strings; the default is used.`, ja: `${what} は文字列のリストでなければなりません。既定値を使います。` }, n);
      return undefined;
    }
    return n.items.map((i) => String((resolve(i) as { value: unknown }).value));
  };

  // Read in any order, merged after the loop: the file's own entries override the profile's.
  let profile: { id: string; range: Range } | undefined;
  const ownNotApplicable: Array<{ id: string; reason: string; range: Range; control: boolean }> = [];

  // `edition` is read first: it decides how ambiguous ids in `applicability` (A.5.1) are read.
  const editionPair = root.items.find((p) => isScalar(p.key) && String((p.key as { value: unknown }).value) === 'edition');
  const editionValue = editionPair ? resolve(editionPair.value) : null;
  const fileEdition = editionValue && isScalar(editionValue) ? String(editionValue.value) : 'auto';
  /** Controls decided by their own X.1051 id: an entry by a 2022 id never overrides them. */
  const decidedDirectly = new Set<string>();

  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : '';
    const value = resolve(pair.value);
    if (keyNode && !isScalar(keyNode)) {
      report('warning', { en: 'A setting name must be a plain word, not a list or a mapping; this entry is ignored.', ja: '設定名はリストやマッピングではなく単語でなければなりません。この項目は無視します。' }, keyNode);
      continue;
    }
    if (!TOP_KEYS.has(key)) {
      report('warning', { en: `Unknown setting "${key}" (known: ${[...TOP_KEYS].join(', ')}).`, ja: `不明な設定「${key}」です（使える設定: ${[...TOP_KEYS].join(', ')}）。` }, keyNode);
      continue;
    }
    switch (key) {
      case 'language': {
        const v = value && isScalar(value) ? value.value : undefined;
        if (v === 'auto' || v === 'ja' || v === 'en') config.language = v as 'auto' | Lang;
        else report('error', { en: 'language must be auto, ja or en; auto is used.', ja: 'language は auto、ja、en のいずれかです。auto を使います。' }, value ?? keyNode);
        break;
      }
      case 'edition': {
        const v = value && isScalar(value) ? String(value.value) : undefined;
        if (v === '2013' || v === '2022' || v === 'auto') config.edition = v;
        else report('error', { en: 'edition must be 2013, 2022 or auto; auto is used.', ja: 'edition は 2013、2022、auto のいずれかです。auto を使います。' }, value ?? keyNode);
        break;
      }
      case 'numberedHeadings': {
        const v = value && isScalar(value) ? value.value : undefined;
        if (v === 'off' || v === false) config.numberedHeadings = 'off';
        else if (typeof v === 'number' && v > 0 && v <= 1) config.numberedHeadings = v;
        else report('error', 'numberedHeadings must be a similarity between 0 and 1 (such as 0.5) or off; 0.5 is used.', value ?? keyNode);
        break;
      }
      case 'metadata': {
        const v = value && isScalar(value) ? value.value : undefined;
        if (v === 'required' || v === 'recommended') config.metadata = v;
        else report('error', { en: 'metadata must be required or recommended; recommended is used.', ja: 'metadata は required か recommended です。recommended を使います。' }, value ?? keyNode);
        break;
      }
      case 'weakWording': {
        if (!value || !isMap(value)) {
          report('error', { en: 'weakWording must be a mapping with add, remove and inClaimedSections.', ja: 'weakWording は add、remove、inClaimedSections を持つマッピングでなければなりません。' }, value ?? keyNode);
          break;
        }
        const ww: NonNullable<ResolvedConfig['weakWording']> = { add: { ja: [], en: [] }, remove: [] };
        for (const entry of value.items) {
          const k = entry.key as YamlNode;
          const name = isScalar(k) ? String(k.value) : '';
          const v = resolve(entry.value);
          if (name === 'remove') ww.remove = stringList(v, 'weakWording.remove') ?? [];
          else if (name === 'inClaimedSections') {
            const sev = v && isScalar(v) ? String(v.value) : '';
            if (SEVERITIES.has(sev) && sev !== 'off') ww.inClaimedSections = sev as Severity;
            else report('error', { en: 'weakWording.inClaimedSections must be error, warning, information or hint.', ja: 'weakWording.inClaimedSections は error、warning、information、hint のいずれかです。' }, v ?? k);
          } else if (name === 'add') {
            if (!v || !isMap(v)) {
              report('error', { en: 'weakWording.add must map ja and en to lists of phrases.', ja: 'weakWording.add は ja と en を語句のリストに対応付けるマッピングでなければなりません。' }, v ?? k);
              continue;
            }
            for (const langEntry of v.items) {
              const lk = langEntry.key as YamlNode;
              const lang = isScalar(lk) ? String(lk.value) : '';
              if (lang !== 'ja' && lang !== 'en') {
                report('error', { en: `weakWording.add: "${lang}" is not ja or en.`, ja: `weakWording.add: 「${lang}」は ja でも en でもありません。` }, lk);
                continue;
              }
              ww.add[lang] = stringList(resolve(langEntry.value), `weakWording.add.${lang}`) ?? [];
            }
          } else report('warning', { en: `Unknown weakWording setting "${name}" (known: add, remove, inClaimedSections).`, ja: `不明な weakWording の設定「${name}」です（使える設定: add、remove、inClaimedSections）。` }, k);
        }
        config.weakWording = ww;
        break;
      }
      case 'maxDocumentSize': {
        const v = value && isScalar(value) ? value.value : undefined;
        if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) config.maxDocumentSize = v;
        else report('error', { en: 'maxDocumentSize must be a positive whole number of bytes; the default is used.', ja: 'maxDocumentSize は正の整数（バイト数）でなければなりません。既定値を使います。' }, value ?? keyNode);
        break;
      }
      case 'include':
      case 'exclude': {
        const list = stringList(value, key);
        if (!list) break;
        // Globs come from the workspace: bounded in number and length, so that matching stays
        // cheap whatever they say (braces are capped when compiled).
        if (list.length > MAX_GLOBS) {
          report('error', `${key} has ${list.length} globs (at most ${MAX_GLOBS}); the default is used.`, value);
          break;
        }
        const kept = list.filter((g, i) => {
          if (g.length <= MAX_GLOB_LENGTH) return true;
          const item = value && isSeq(value) ? (value.items[i] as YamlNode) : value;
          report('error', `A glob in ${key} is ${g.length} characters long (at most ${MAX_GLOB_LENGTH}); it is ignored.`, item);
          return false;
        });
        config[key] = kept;
        break;
      }
      case 'applicability': {
        if (!value || !isMap(value)) {
          report('error', { en: 'applicability must map control ids to applicable or {status: excluded, justification}.', ja: 'applicability は管理策 ID を applicable または {status: excluded, justification} に対応付けるマッピングでなければなりません。' }, value ?? keyNode);
          break;
        }
        for (const entry of value.items) {
          const k = entry.key as YamlNode;
          const rawId = isScalar(k) ? String(k.value) : '';
          const id = resolveControl(rawId, catalog);
          // The key as written: an unquoted 5.10 is the number 5.1 to YAML.
          const writtenId = isScalar(k) && typeof (k as { source?: unknown }).source === 'string' ? String((k as { source?: unknown }).source) : rawId;
          const other = !id && catalog ? lookupEditionId(catalog, writtenId, fileEdition === '2013' || fileEdition === '2022' ? fileEdition : undefined) : undefined;
          if (other?.kind === 'edition-control') {
            // A 2022 (or 2024 TEL) id decides the X.1051 controls it maps from.
            const e = other.control;
            if (e.from.length === 0) {
              report('warning', { en: `${e.id} ${e.title.en} is new in ISO/IEC 27002:2022: no X.1051 control corresponds, so x1051 has nothing to decide or check for it.`, ja: `${e.id} ${e.title.ja} は ISO/IEC 27002:2022 で新設された管理策で、対応する X.1051 の管理策がないため、x1051 では判断・確認の対象になりません。` }, k);
              continue;
            }
            const v = resolve(entry.value);
            const decided = applicabilityOf(v, resolve);
            if (!('status' in decided)) {
              report('error', { en: `${rawId}: ${decided.en}`, ja: `${rawId}: ${decided.ja}` }, v ?? k);
              continue;
            }
            for (const f of e.from) {
              if (decidedDirectly.has(f)) continue;
              config.applicability[f] = decided;
              if (k.range) config.ranges.applicability[f] = lines.range(k.range[0], (v?.range ?? k.range)[1]);
            }
            continue;
          }
          if (other?.kind === 'ambiguous') {
            report('error', {
              en: `"${rawId}" is objective ${other.objective.id} in ISO/IEC 27002:2013 and control ${other.control.id} in 2022: add edition: 2022 (or 2013) to this file, or write ${other.control.id}'s X.1051 ids.`,
              ja: `「${rawId}」は 2013 年版では管理目的 ${other.objective.id}、2022 年版では管理策 ${other.control.id} です。このファイルに edition: 2022（または 2013）を書くか、X.1051 の ID で書いてください。`,
            }, k);
            continue;
          }
          if (!id) {
            const dym = catalog ? catalog.didYouMean(rawId) : [];
            report('error', { en: `Unknown control "${rawId}"${dym.length ? ` (did you mean ${dym.join(', ')}?)` : ''}.`, ja: `管理策「${rawId}」はカタログにありません${dym.length ? `（もしかして: ${dym.join(', ')}）` : ''}。` }, k, { candidates: dym });
            continue;
          }
          const v = resolve(entry.value);
          const decided = applicabilityOf(v, resolve);
          if (!('status' in decided)) {
            report('error', { en: `${id}: ${decided.en}`, ja: `${id}: ${decided.ja}` }, v ?? k);
            continue;
          }
          config.applicability[id] = decided;
          decidedDirectly.add(id);
          if (k.range) config.ranges.applicability[id] = lines.range(k.range[0], (v?.range ?? k.range)[1]);
        }
        break;
      }
      case 'profile': {
        const v = value && isScalar(value) ? value.value : undefined;
        const known = PROFILES.map((p) => p.id).join(', ');
        if (typeof v !== 'string' || !profileById(v)) {
          report('error', { en: `profile must be the name of a built-in applicability profile (known: ${known}); no profile is used.`, ja: `profile は組み込みの適用性プロファイルの名前でなければなりません（使えるもの: ${known}）。プロファイルは使いません。` }, value ?? keyNode);
          break;
        }
        const node = value ?? keyNode;
        profile = { id: v, range: node?.range ? lines.range(node.range[0], node.range[1]) : config.ranges.file! };
        break;
      }
      case 'notApplicable': {
        if (!value || !isMap(value)) {
          report('error', { en: 'notApplicable must map control or item ids to a justification: {TEL.13.1.6: "no interconnection"}.', ja: 'notApplicable は管理策または項目の ID を理由に対応付けるマッピングでなければなりません: {TEL.13.1.6: "相互接続なし"}。' }, value ?? keyNode);
          break;
        }
        for (const entry of value.items) {
          const k = entry.key as YamlNode;
          const rawId = isScalar(k) ? String(k.value) : '';
          const control = resolveControl(rawId, catalog);
          const item = control ? undefined : resolveItemId(rawId, catalog);
          if (!control && !item) {
            const dym = catalog ? catalog.didYouMean(rawId) : [];
            report('error', { en: `"${rawId}" is not a control or item id of the catalogue${dym.length ? ` (did you mean ${dym.join(', ')}?)` : ''}.`, ja: `「${rawId}」はカタログの管理策 ID でも項目 ID でもありません${dym.length ? `（もしかして: ${dym.join(', ')}）` : ''}。` }, k, { candidates: dym });
            continue;
          }
          const id = (control ?? item)!;
          const v = resolve(entry.value);
          const reason = v && isScalar(v) && typeof v.value === 'string' ? v.value.trim() : '';
          if (reason === '') {
            report('error', { en: `${id}: a not-applicable control or item needs a justification (a non-empty text).`, ja: `${id}: 適用外とする管理策・項目には理由（空でない文字列）が必要です。` }, v ?? k);
            continue;
          }
          const range = lines.range(k.range![0], (v?.range ?? k.range!)[1]);
          ownNotApplicable.push({ id, reason, range, control: control !== undefined });
        }
        break;
      }
      case 'severity': {
        if (!value || !isMap(value)) {
          report('error', { en: 'severity must be a mapping with rules and/or levels.', ja: 'severity は rules と levels の一方または両方を持つマッピングでなければなりません。' }, value ?? keyNode);
          break;
        }
        for (const sub of value.items) {
          const sk = sub.key as YamlNode;
          const name = isScalar(sk) ? String(sk.value) : '';
          const sv = resolve(sub.value);
          if (name !== 'rules' && name !== 'levels') {
            report('warning', { en: `Unknown severity setting "${name}" (known: rules, levels).`, ja: `不明な severity の設定「${name}」です（使える設定: rules、levels）。` }, sk);
            continue;
          }
          if (!sv || !isMap(sv)) {
            report('error', { en: `severity.${name} must be a mapping.`, ja: `severity.${name} はマッピングでなければなりません。` }, sv ?? sk);
            continue;
          }
          const known = name === 'rules' ? RULES : LEVELS;
          for (const e of sv.items) {
            const ek = e.key as YamlNode;
            const ename = isScalar(ek) ? String(ek.value) : '';
            const ev = resolve(e.value);
            if (!known.has(ename)) {
              report('warning', { en: `Unknown ${name === 'rules' ? 'rule' : 'level'} "${ename}" (known: ${[...known].join(', ')}).`, ja: `不明な${name === 'rules' ? 'ルール' : 'レベル'}「${ename}」です（使えるもの: ${[...known].join(', ')}）。` }, ek);
              continue;
            }
            const s = ev && isScalar(ev) ? String(ev.value) : '';
            if (!SEVERITIES.has(s)) {
              report('error', { en: `Severity of ${ename} must be error, warning, information, hint or off; the default is used.`, ja: `${ename} の重大度は error、warning、information、hint、off のいずれかです。既定値を使います。` }, ev ?? ek);
              continue;
            }
            (config.severity[name] as Record<string, SeverityOrOff>)[ename] = s as SeverityOrOff;
          }
        }
        break;
      }
      case 'terms': {
        if (!value || !isMap(value)) {
          report('error', { en: 'terms must map item ids to {ja: [...], en: [...]}.', ja: 'terms は項目 ID を {ja: [...], en: [...]} に対応付けるマッピングでなければなりません。' }, value ?? keyNode);
          break;
        }
        for (const e of value.items) {
          const ek = e.key as YamlNode;
          const raw = isScalar(ek) ? String(ek.value) : '';
          const id = resolveItemId(raw, catalog);
          if (!id) {
            report('error', { en: `"${raw}" is not an item id of the catalogue (write it like TEL.18.1.6(e)).`, ja: `「${raw}」はカタログの項目 ID ではありません（TEL.18.1.6(e) のように書きます）。` }, ek);
            continue;
          }
          const ev = resolve(e.value);
          if (!ev || !isMap(ev)) {
            report('error', { en: `terms of ${id} must be {ja: [...], en: [...]}.`, ja: `${id} の terms は {ja: [...], en: [...]} でなければなりません。` }, ev ?? ek);
            continue;
          }
          const entry = { ja: [] as string[], en: [] as string[] };
          for (const l of ev.items) {
            const lk = l.key as YamlNode;
            const lang = isScalar(lk) ? String(lk.value) : '';
            if (lang !== 'ja' && lang !== 'en') {
              report('warning', { en: `Unknown language "${lang}" in terms of ${id} (known: ja, en).`, ja: `${id} の terms に不明な言語「${lang}」があります（使えるもの: ja、en）。` }, lk);
              continue;
            }
            const list = stringList(resolve(l.value), `terms of ${id}.${lang}`);
            if (list) entry[lang] = list.filter((t) => t.trim() !== '');
          }
          config.terms[id] = entry;
        }
        break;
      }
      case 'concepts': {
        if (!value || !isMap(value)) {
          report('error', 'concepts must map concept ids to {ja: [...], en: [...]}.', value ?? keyNode);
          break;
        }
        for (const e of value.items) {
          const ek = e.key as YamlNode;
          const id = isScalar(ek) ? String(ek.value) : '';
          if (!/^[a-z][a-z0-9-]*$/.test(id)) {
            report('error', `"${id}" is not a concept id (lower case letters, digits and hyphens, like supplier).`, ek);
            continue;
          }
          const ev = resolve(e.value);
          if (!ev || !isMap(ev)) {
            report('error', `concepts.${id} must be {ja: [...], en: [...]}.`, ev ?? ek);
            continue;
          }
          const entry = { ja: [] as string[], en: [] as string[] };
          for (const l of ev.items) {
            const lk = l.key as YamlNode;
            const lang = isScalar(lk) ? String(lk.value) : '';
            if (lang !== 'ja' && lang !== 'en') {
              report('warning', `Unknown language "${lang}" in concepts.${id} (known: ja, en).`, lk);
              continue;
            }
            const list = stringList(resolve(l.value), `concepts.${id}.${lang}`);
            if (list) entry[lang] = list.filter((t) => t.trim() !== '' && !/[{}+＋]/.test(t));
          }
          config.concepts[id] = entry;
        }
        break;
      }
    }
  }
  mergeNotApplicable(config, profile, ownNotApplicable, findings, lang);
  // The config's own severity setting for invalid-config applies to its findings too.
  const own = config.severity.rules['invalid-config'];
  if (own === 'off') return { config, findings: [] };
  return { config, findings: own ? findings.map((f) => ({ ...f, severity: own })) : findings };
}

/**
 * Merges the profile and the file's `notApplicable` into the config: the file's entries override
 * the profile's, an explicit `applicability` entry overrides a profile's control, and a control
 * both in `applicability` and `notApplicable` of the file is a contradiction (an error; the
 * `applicability` entry stands).
 */
function mergeNotApplicable(
  config: ResolvedConfig,
  profile: { id: string; range: Range } | undefined,
  own: Array<{ id: string; reason: string; range: Range; control: boolean }>,
  findings: Finding[],
  lang: Lang,
): void {
  const explicit = new Set(Object.keys(config.applicability));
  if (profile) {
    config.profile = profile.id;
    const ownIds = new Set(own.map((o) => o.id));
    for (const [id, reason] of Object.entries(profileById(profile.id)!.notApplicable)) {
      if (ownIds.has(id)) continue;
      if (explicit.has(id)) {
        // Allowed (the file decides), but said, since a template may list every control as applicable.
        if (config.applicability[id]?.status === 'applicable') {
          findings.push({
            code: 'invalid-config',
            severity: 'information',
            message:
              lang === 'ja'
                ? `${id} は applicable と書かれているため、プロファイル ${profile.id} の適用外（${reason.ja}）より優先されます。`
                : `${id} is declared applicable, which overrides profile ${profile.id} (${reason.en})`,
            range: config.ranges.applicability[id] ?? profile.range,
            control: id,
          });
        }
        continue;
      }
      config.notApplicable[id] = { reason, from: profile.id };
      config.ranges.notApplicable[id] = profile.range;
      if (!id.includes('(')) {
        config.applicability[id] = { status: 'excluded', justification: reason.en, text: reason, profile: profile.id };
        config.ranges.applicability[id] = profile.range;
      }
    }
  }
  for (const o of own) {
    if (o.control && explicit.has(o.id)) {
      findings.push({
        code: 'invalid-config',
        severity: 'error',
        message: lang === 'ja' ? `${o.id} が applicability と notApplicable の両方にあります。applicability の指定を使います。` : `${o.id} is in both applicability and notApplicable; the applicability entry is used.`,
        range: o.range,
      });
      continue;
    }
    config.notApplicable[o.id] = { reason: { ja: o.reason, en: o.reason }, from: 'config' };
    config.ranges.notApplicable[o.id] = o.range;
    if (o.control) {
      config.applicability[o.id] = { status: 'excluded', justification: o.reason };
      config.ranges.applicability[o.id] = o.range;
    }
  }
}

/**
 * Whether the config marks an item not applicable (itself, a parent item, or its control), with
 * the entry and the id it is recorded under.
 */
export function configNotApplicable(config: Pick<ResolvedConfig, 'notApplicable'>, item: { id: string; control: string }): { id: string; entry: NotApplicableEntry } | undefined {
  const na = config.notApplicable;
  let id = item.id;
  for (;;) {
    if (na[id]) return { id, entry: na[id] };
    // "TEL.13.1.4[2](e)(4)" → "TEL.13.1.4[2](e)" → (the control)
    const cut = id.lastIndexOf('(');
    if (cut <= 0 || !id.endsWith(')')) break;
    id = id.slice(0, cut);
    if (id === item.control || id.endsWith(']')) break;
  }
  return na[item.control] ? { id: item.control, entry: na[item.control] } : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

const NEEDS_JUSTIFICATION: Text = {
  en: 'an excluded control needs a justification: {status: excluded, justification: "…"}.',
  ja: '適用除外とする管理策には理由が必要です: {status: excluded, justification: "…"}。',
};
const BAD_APPLICABILITY: Text = {
  en: 'applicability must be applicable or {status: excluded, justification: "…"}.',
  ja: 'applicability は applicable または {status: excluded, justification: "…"} でなければなりません。',
};

function applicabilityOf(v: YamlNode | null, resolve: (n: unknown) => YamlNode | null): Applicability | Text {
  if (v && isScalar(v)) {
    if (v.value === 'applicable') return { status: 'applicable' };
    if (v.value === 'excluded') return NEEDS_JUSTIFICATION;
    return BAD_APPLICABILITY;
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
      if (typeof j !== 'string' || j.trim() === '') return { en: 'an excluded control needs a non-empty justification.', ja: '適用除外とする管理策には空でない理由が必要です。' };
      return { status: 'excluded', justification: j.trim() };
    }
    return { en: 'status must be applicable or excluded.', ja: 'status は applicable か excluded です。' };
  }
  return BAD_APPLICABILITY;
}

/**
 * The language of the config's own messages: a fixed language of the run (`--lang`, the editor's
 * `x1051.language`), else the file's own `language: ja|en` (read ahead, it may come last), else
 * the fallback language.
 */
function messageLanguage(text: string, options?: Partial<ServiceOptions>): Lang {
  if (options?.language === 'ja' || options?.language === 'en') return options.language;
  const own = /^language:\s*["']?(ja|en)["']?\s*(?:#.*)?$/m.exec(text);
  if (own) return own[1] as Lang;
  return options?.fallbackLanguage ?? 'en';
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

/** A compiled glob: `test` tells whether a `/`-separated relative path matches. */
export interface GlobMatcher {
  test(path: string): boolean;
}

/** Most alternatives a glob's braces may expand to; beyond that the braces are literal. */
const MAX_BRACE_ALTERNATIVES = 64;
/** Longest glob accepted in `include` / `exclude` (a longer one is refused with a finding). */
export const MAX_GLOB_LENGTH = 512;
/** Most globs accepted in one `include` or `exclude` list (more: the list is refused). */
export const MAX_GLOBS = 256;
/** Work done by glob matching, counted for tests: one per glob program run over a path. */
export const globWork = { runs: 0 };
const globCache = new Map<string, GlobMatcher>();

/**
 * Compiles a glob over `/`-separated relative paths: `**` crosses folders, `*` and `?` do not,
 * `{a,b}` alternates. A pattern without a slash matches at any depth (as in .gitignore), and a
 * folder pattern `dir/**` matches everything under it.
 *
 * Globs come from workspace configuration, so matching must be safe for any glob: instead of a
 * regular expression (`*a*a*a*…` against a long name backtracks exponentially), the glob is run
 * as a set of states over the path, one step per character — time O(path × glob), no
 * backtracking. Braces are expanded up front, at most `MAX_BRACE_ALTERNATIVES` alternatives.
 */
export function compileGlob(glob: string): GlobMatcher {
  const known = globCache.get(glob);
  if (known) return known;
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!g.includes('/')) g = `**/${g}`;
  const programs = (expandBraces(g) ?? [g]).map(tokenize);
  const matcher: GlobMatcher = { test: (path) => programs.some((p) => runGlob(p, path)) };
  if (globCache.size >= 512) globCache.clear();
  globCache.set(glob, matcher);
  return matcher;
}

const enum GlobOp {
  Literal,
  /** `?`: one character other than `/`. */
  One,
  /** `*`: any run of characters other than `/`. */
  Star,
  /** `**` not followed by `/`: anything. */
  Any,
  /** `**` followed by `/`: zero or more whole folders (`(?:[^/]*\/)*`). */
  Dirs,
}

type GlobToken = { op: GlobOp; ch?: string };

function tokenize(g: string): GlobToken[] {
  const out: GlobToken[] = [];
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      const dirs = g[i + 2] === '/';
      out.push({ op: dirs ? GlobOp.Dirs : GlobOp.Any });
      i += dirs ? 2 : 1;
    } else if (c === '*') out.push({ op: GlobOp.Star });
    else if (c === '?') out.push({ op: GlobOp.One });
    else out.push({ op: GlobOp.Literal, ch: c });
  }
  return out;
}

/**
 * Runs a tokenised glob over `path`. A state is a token index times two, plus one when inside a
 * folder name consumed by `Dirs`; the set of live states advances one character at a time.
 */
function runGlob(tokens: GlobToken[], path: string): boolean {
  globWork.runs++;
  const n = tokens.length;
  let live = new Uint8Array(2 * n + 2);
  let next = new Uint8Array(2 * n + 2);
  // Adds state (i, inside) and what it reaches without consuming a character.
  const add = (set: Uint8Array, i: number, inside: number) => {
    for (;;) {
      const id = 2 * i + inside;
      if (set[id]) return;
      set[id] = 1;
      if (inside || i >= n) return;
      const op = tokens[i].op;
      if (op !== GlobOp.Star && op !== GlobOp.Any && op !== GlobOp.Dirs) return;
      i++;
    }
  };
  add(live, 0, 0);
  for (let k = 0; k < path.length; k++) {
    const c = path[k];
    next.fill(0);
    let any = false;
    for (let id = 0; id < live.length; id++) {
      if (!live[id]) continue;
      const i = id >> 1;
      if (i >= n) continue;
      const t = tokens[i];
      // Where this state goes on `c` (undefined: it dies).
      let to: [number, number] | undefined;
      if (t.op === GlobOp.Literal) to = c === t.ch ? [i + 1, 0] : undefined;
      else if (t.op === GlobOp.One) to = c !== '/' ? [i + 1, 0] : undefined;
      else if (t.op === GlobOp.Star) to = c !== '/' ? [i, 0] : undefined;
      else if (t.op === GlobOp.Any) to = [i, 0];
      else to = [i, c === '/' ? 0 : 1];
      if (to) {
        add(next, to[0], to[1]);
        any = true;
      }
    }
    if (!any) return false;
    [live, next] = [next, live];
  }
  return live[2 * n] === 1;
}

/**
 * Expands `{a,b}` (nested too) into the alternatives it stands for, or undefined when there would
 * be more than `MAX_BRACE_ALTERNATIVES`. An unbalanced brace is a literal character.
 */
function expandBraces(g: string): string[] | undefined {
  if (!g.includes('{')) return [g];
  // Matching braces, found in one pass.
  const close = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '{') stack.push(i);
    else if (g[i] === '}' && stack.length > 0) close.set(stack.pop()!, i);
  }
  let tooMany = false;
  // Alternatives of g[from, to), splitting on commas at this level when `split`.
  const expand = (from: number, to: number, split: boolean): string[] => {
    const done: string[] = [];
    let current = [''];
    for (let i = from; i < to && !tooMany; i++) {
      const c = g[i];
      const end = c === '{' ? close.get(i) : undefined;
      if (end !== undefined && end < to) {
        const inner = expand(i + 1, end, true);
        const product: string[] = [];
        for (const a of current) for (const b of inner) product.push(a + b);
        if (product.length + done.length > MAX_BRACE_ALTERNATIVES) tooMany = true;
        current = product;
        i = end;
      } else if (c === ',' && split) {
        done.push(...current);
        current = [''];
      } else current = current.map((a) => a + c);
    }
    done.push(...current);
    if (done.length > MAX_BRACE_ALTERNATIVES) tooMany = true;
    return done;
  };
  const out = expand(0, g.length, false);
  return tooMany ? undefined : out;
}

/** A configuration's globs compiled once, and the paths already decided under it. */
interface ScopeDecisions {
  include: readonly string[];
  exclude: readonly string[];
  inc: GlobMatcher[];
  exc: GlobMatcher[];
  decided: Map<string, boolean>;
}
const scopes = new WeakMap<object, ScopeDecisions>();
/** Paths remembered per configuration (more: the memory is cleared and decisions recomputed). */
const MAX_DECIDED = 20000;

/**
 * True when `relPath` (relative to the config's folder, `/`-separated) is checked under `config`.
 * Each configuration's globs are compiled once and each path decided once per configuration (a
 * new config object, as after an edit, starts afresh), so coverage passes and re-checks do not
 * run the globs again.
 */
export function isIncluded(relPath: string, config: Pick<ResolvedConfig, 'include' | 'exclude'>): boolean {
  const p = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  let scope = scopes.get(config);
  if (!scope || scope.include !== config.include || scope.exclude !== config.exclude) {
    scope = { include: config.include, exclude: config.exclude, inc: config.include.map(compileGlob), exc: config.exclude.map(compileGlob), decided: new Map() };
    scopes.set(config, scope);
  }
  const known = scope.decided.get(p);
  if (known !== undefined) return known;
  const result = scope.inc.some((m) => m.test(p)) && !scope.exc.some((m) => m.test(p));
  if (scope.decided.size >= MAX_DECIDED) scope.decided.clear();
  scope.decided.set(p, result);
  return result;
}
