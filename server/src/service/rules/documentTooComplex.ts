import type { Rule } from './rule';
import { docsUrl } from './rule';
import type { Lang } from '../types';

/**
 * document-too-complex: the document could not be checked within the limits — its Markdown nests
 * deeper than the parser can follow (thousands of `>` or list markers), or its analysis ran past
 * the time budget (`x1051.analysisTimeout`). One finding on the first line; the rest of the
 * workspace is checked as usual.
 */
export const documentTooComplex: Rule = {
  code: 'document-too-complex',
  description: {
    en: 'The document could not be checked within the limits (nesting too deep for the parser, or the analysis time budget).',
    ja: '文書を制限内で検査できなかった（パーサーが扱えない深い入れ子、または解析時間の上限超過）。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('document-too-complex'),
  tags: ['limit'],
  scope: 'document',
  check(ctx) {
    for (const p of ctx.model.problems) if (p.code === 'document-too-complex') ctx.report({ message: p.message, range: p.range, severity: p.severity });
  },
};

/**
 * Why a document was too complex: containers nested deeper than the guard's limit (`depth`,
 * `limit`), the parser's stack exhausted (no depth known), or the time budget spent.
 */
export type TooComplexReason = { kind: 'nesting'; depth?: number; limit?: number } | { kind: 'budget'; ms: number };

/** The finding's message, in the document's language, naming the limit. */
export function tooComplexMessage(reason: TooComplexReason, lang: Lang): string {
  if (reason.kind === 'nesting' && reason.depth !== undefined && reason.limit !== undefined) {
    return lang === 'ja'
      ? `文書が複雑すぎるため検査していません（引用・リストの入れ子が上限 ${reason.limit} 段を超えています）。入れ子を浅くしてください`
      : `Document too complex, not checked: block quotes and lists nest more than ${reason.limit} levels deep (the limit). Reduce the nesting`;
  }
  if (reason.kind === 'nesting') {
    return lang === 'ja'
      ? '文書が複雑すぎるため検査していません（Markdown の入れ子が深すぎてパーサーの上限を超えました）。入れ子を浅くしてください'
      : 'Document too complex, not checked: its Markdown nests deeper than the parser can follow (stack limit). Reduce the nesting';
  }
  const s = (reason.ms / 1000).toFixed(reason.ms % 1000 === 0 ? 0 : 1);
  return lang === 'ja'
    ? `文書が複雑すぎるため検査していません（解析が上限 ${s} 秒を超えました、x1051.analysisTimeout）`
    : `Document too complex, not checked: its analysis took longer than the limit of ${s} s (x1051.analysisTimeout)`;
}

/**
 * True for the errors a pathological document causes in the parser or the model builder (the
 * stack exhausted by deep nesting, an array grown past the engine's limit), as opposed to bugs.
 */
export function isTooComplexError(e: unknown): boolean {
  return e instanceof RangeError && /call stack|array length|string length/i.test(e.message);
}
