import type { Rule } from './rule';
import { docsUrl } from './rule';
import type { Lang } from '../types';

/**
 * document-too-large: the document is larger than `maxDocumentSize` bytes, so it was neither
 * parsed nor checked. The limit keeps the editor responsive: a policy is never that large, but a
 * generated or pasted file may be, and parsing Markdown is not linear for every input.
 */
export const documentTooLarge: Rule = {
  code: 'document-too-large',
  description: {
    en: 'The document is larger than x1051.maxDocumentSize and was not checked.',
    ja: '文書が x1051.maxDocumentSize より大きいため検査していない。',
  },
  defaultSeverity: 'information',
  docs: docsUrl('document-too-large'),
  tags: ['limit'],
  scope: 'document',
  check(ctx) {
    for (const p of ctx.model.problems) if (p.code === 'document-too-large') ctx.report({ message: p.message, range: p.range, severity: p.severity });
  },
};

/** The finding's message: sizes in MB with one decimal, in the document's language. */
export function tooLargeMessage(bytes: number, limit: number, lang: Lang): string {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return lang === 'ja'
    ? `文書が大きすぎるため検査していません（${mb(bytes)} MB > 上限 ${mb(limit)} MB、x1051.maxDocumentSize）`
    : `Document too large (${mb(bytes)} MB > limit ${mb(limit)} MB, x1051.maxDocumentSize), not checked`;
}

/**
 * The UTF-8 size of `text` in bytes when it exceeds `limit`, else undefined. A text of at most
 * `limit / 3` code units is never counted (a code unit is at most three bytes).
 */
export function sizeOverLimit(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const size = utf8Size(text);
  return size > limit ? size : undefined;
}

function utf8SizeUpTo(text: string, limit: number): number {
  // Each UTF-16 code unit is at least one byte and at most three.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length * 3 > 0 ? utf8Size(text) : 0;
  return utf8Size(text);
}

function utf8Size(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
