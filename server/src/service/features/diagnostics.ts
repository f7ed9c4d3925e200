/**
 * Diagnostics of one document: runs every document rule of the registry over the document model,
 * applies the config's severity overrides, and drops what directives silence.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import type { ResolvedConfig } from '../config';
import type { DocumentModel } from '../document';
import { isSuppressed } from '../directives';
import { RULES } from '../rules';
import type { Finding, Severity } from '../types';
import type { TextMemo } from '../textMemo';

/**
 * Runs the document rules; returns findings sorted by position, severities resolved. `memo`, the
 * rules' results per block text from their previous run over the same document, saves work and
 * never changes the findings.
 */
export function computeDiagnostics(model: DocumentModel, catalog: CatalogIndex, config: ResolvedConfig, memo?: TextMemo): Finding[] {
  const out: Finding[] = [];
  const remember = memo ? <T>(kind: string, text: string, compute: (text: string) => T): T => memo.get(kind, text, compute) : <T>(_kind: string, text: string, compute: (text: string) => T): T => compute(text);
  for (const rule of RULES) {
    if (rule.scope !== 'document' || !rule.check) continue;
    if (config.severity.rules[rule.code] === 'off') continue;
    rule.check({
      model,
      catalog,
      config,
      lang: model.lang,
      report(f) {
        const finding: Finding = { ...f, code: rule.code, severity: f.severity ?? rule.defaultSeverity };
        const resolved = applySeverity(finding, config, catalog);
        if (resolved && !isSuppressed(model.directives, resolved)) out.push(resolved);
      },
      memo: remember,
    });
  }
  memo?.endRun();
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/**
 * Applies the config's overrides. For missing-item the item level's override wins over the
 * rule's (`levels: {recommended: off}` silences recommended items even if `rules: {missing-item:
 * error}` is set); every other rule uses `rules`. Returns undefined for `off`.
 */
export function applySeverity(f: Finding, config: ResolvedConfig, catalog: CatalogIndex): Finding | undefined {
  // A rule that resolved its severity from the settings itself (folded missing-item findings).
  if (f.data?.resolved === true) return f;
  let s: Severity | 'off' | undefined;
  if (f.code === 'missing-item' && f.item) {
    const level = catalog.item(f.item)?.level;
    if (level) s = config.severity.levels[level];
  }
  s ??= config.severity.rules[f.code];
  if (s === 'off') return undefined;
  return s ? { ...f, severity: s } : f;
}

/** Numeric rank of a severity (error highest), for thresholds such as the CLI's exit code. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : s === 'information' ? 1 : 0;
}
