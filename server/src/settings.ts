/**
 * Editor settings (`x1051.*`) and their conversion to the service's own option types.
 *
 * The service never sees a raw settings object: the server reads the `x1051` section through
 * `workspace/configuration` (or from `initializationOptions` / `didChangeConfiguration` when the
 * client cannot answer that request), passes it through `readSettings`, which validates every
 * value and falls back to the default, and then merges the result under `.x1051.yaml` with
 * `mergeConfig`. Adding a setting: declare it in package.json, add it to `X1051Settings`,
 * `DEFAULT_SETTINGS` and `readSettings`, and use it through the converted value only.
 */
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MAX_DOCUMENT_SIZE, defaultConfig, type ResolvedConfig, type SeverityOrOff } from './service/config';
import { LEVEL_SEVERITY } from './service/rules/missingItem';
import { RULES as RULE_REGISTRY } from './service/rules';
import type { ItemLevel, Lang, RuleCode, ServiceOptions } from './service/types';

/** The configuration section every setting of the extension lives in. */
export const SECTION = 'x1051';

/** The settings the server consumes, after validation. */
export interface X1051Settings {
  /** `x1051.language`: language of messages and hovers; auto follows each document. */
  language: 'auto' | Lang;
  /** `x1051.severity.rules`: severity per rule code (or `off`). */
  severityRules: Partial<Record<RuleCode, SeverityOrOff>>;
  /**
   * `x1051.severity.required` / `.recommended` / `.informative`: severity of missing-item findings
   * per item level (or `off`); only values that differ from the built-in defaults.
   */
  severityLevels: Partial<Record<ItemLevel, SeverityOrOff>>;
  /** `x1051.include`: globs of Markdown files checked, relative to the workspace folder. */
  include: string[];
  /** `x1051.exclude`: globs of files never checked. */
  exclude: string[];
  /** `x1051.codeLens.enabled`: show "n/m items addressed" above each claimed section. */
  codeLensEnabled: boolean;
  /** `x1051.maxDocumentSize`: bytes above which a document is not checked. */
  maxDocumentSize: number;
  /**
   * `x1051.analysisTimeout`: milliseconds one document's analysis may take in a worker thread;
   * past it the document gets one `document-too-complex` finding.
   */
  analysisTimeout: number;
}

/**
 * The largest analysis budget a timer can hold (about 24.8 days): Node fires a longer
 * `setTimeout` after 1 ms, which made every document "too complex", and refuses a longer `vm`
 * timeout. A larger `x1051.analysisTimeout` is the default; a larger `--timeout` a usage error.
 */
export const MAX_ANALYSIS_TIMEOUT_MS = 2_147_483_647;

/** Defaults, identical to the defaults declared in package.json. */
export const DEFAULT_SETTINGS: X1051Settings = {
  language: 'auto',
  severityRules: {},
  severityLevels: {},
  include: [...DEFAULT_INCLUDE],
  exclude: ['**/node_modules/**', '**/.git/**'],
  codeLensEnabled: true,
  maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE,
  analysisTimeout: 5000,
};

/** Rule codes, from the service's registry. */
const RULES: ReadonlySet<string> = new Set<RuleCode>(RULE_REGISTRY.map((r) => r.code));
const LEVELS: ReadonlySet<string> = new Set<ItemLevel>(['required', 'recommended', 'informative']);
const SEVERITIES: ReadonlySet<string> = new Set<SeverityOrOff>(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Validates a raw `x1051` settings section as a client sent it. Accepts both the nested shape
 * VS Code returns for a section (`{ severity: { rules: {...} }, codeLens: { enabled } }`) and
 * dotted keys (`{ 'codeLens.enabled': false }`) that some editors send. Invalid values are
 * dropped in favour of the defaults instead of failing the whole section.
 */
export function readSettings(raw: unknown): X1051Settings {
  const s = isObject(raw) ? raw : {};
  const get = (path: string): unknown => {
    if (path in s) return s[path];
    let v: unknown = s;
    for (const part of path.split('.')) v = isObject(v) ? v[part] : undefined;
    return v;
  };
  const language = get('language');
  const codeLens = get('codeLens.enabled');
  const maxSize = get('maxDocumentSize');
  const timeout = get('analysisTimeout');
  // Levels are declared one setting each (`x1051.severity.required`, …); `severity.levels` is
  // accepted too. A value equal to the built-in default is no override: VS Code sends every
  // declared default, and an "override" to the default would only hide `severity.rules`.
  const levels = severityMap({ ...(isObject(get('severity.levels')) ? (get('severity.levels') as object) : {}), ...pick(get('severity'), LEVELS) }, LEVELS);
  for (const [level, value] of Object.entries(levels)) if (LEVEL_SEVERITY[level as ItemLevel] === value) delete levels[level];
  return {
    language: language === 'ja' || language === 'en' || language === 'auto' ? language : DEFAULT_SETTINGS.language,
    severityRules: severityMap(get('severity.rules'), RULES) as X1051Settings['severityRules'],
    severityLevels: levels as X1051Settings['severityLevels'],
    include: stringList(get('include')) ?? [...DEFAULT_SETTINGS.include],
    exclude: stringList(get('exclude')) ?? [...DEFAULT_SETTINGS.exclude],
    codeLensEnabled: typeof codeLens === 'boolean' ? codeLens : DEFAULT_SETTINGS.codeLensEnabled,
    maxDocumentSize: typeof maxSize === 'number' && Number.isSafeInteger(maxSize) && maxSize > 0 ? maxSize : DEFAULT_SETTINGS.maxDocumentSize,
    analysisTimeout: typeof timeout === 'number' && Number.isSafeInteger(timeout) && timeout >= 100 && timeout <= MAX_ANALYSIS_TIMEOUT_MS ? timeout : DEFAULT_SETTINGS.analysisTimeout,
  };
}

/**
 * The UI locale of `initialize` reduced to the two languages of the catalogue: the fallback
 * language of a document whose own language cannot be told.
 */
export function localeToLang(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** The service options of the settings alone (used to parse `.x1051.yaml` with the right defaults). */
export function toServiceOptions(settings: X1051Settings, fallbackLanguage: Lang): ServiceOptions {
  return { language: settings.language, fallbackLanguage, maxDocumentSize: settings.maxDocumentSize };
}

/**
 * The configuration of a document: the settings as defaults, with `.x1051.yaml` (already parsed
 * with `toServiceOptions(settings)` as its defaults) taking precedence wherever it says something,
 * except for an explicit display language, which the user's setting decides.
 * Without a config file the settings alone make the configuration.
 */
export function mergeConfig(settings: X1051Settings, fallbackLanguage: Lang, file?: ResolvedConfig): ResolvedConfig {
  const base = file ?? defaultConfig(toServiceOptions(settings, fallbackLanguage));
  return {
    ...base,
    // The language of messages and hovers is the reader's choice: an explicit `x1051.language`
    // (ja or en) wins over the file, whose `language` is the team's default for the CLI and for
    // editors left on auto. parseConfig started from the settings' language, so with the setting
    // on auto the file's value is already in `base`.
    language: settings.language !== 'auto' ? settings.language : base.language,
    include: file && !sameList(file.include, DEFAULT_INCLUDE) ? file.include : settings.include,
    exclude: file && !sameList(file.exclude, DEFAULT_EXCLUDE) ? file.exclude : settings.exclude,
    severity: {
      rules: { ...settings.severityRules, ...base.severity.rules },
      levels: { ...settings.severityLevels, ...base.severity.levels },
    },
  };
}

function severityMap(v: unknown, keys: ReadonlySet<string>): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  if (!isObject(v)) return out;
  for (const [k, value] of Object.entries(v)) {
    if (keys.has(k) && typeof value === 'string' && SEVERITIES.has(value)) out[k] = value as SeverityOrOff;
  }
  return out;
}

/** The entries of `v` whose keys are in `keys`. */
function pick(v: unknown, keys: ReadonlySet<string>): Record<string, unknown> {
  return isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => keys.has(k))) : {};
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...v];
  return undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
