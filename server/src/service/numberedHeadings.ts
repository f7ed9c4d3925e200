/**
 * Numbered headings as claims. Many policies number their sections after the controls they
 * implement (`## 12.4.1 Event logging`, `### 12.4.1 イベントログの取得`). A leading bare number is
 * usually just a section number, so it claims the control only when the heading's words also
 * match that control's title (Japanese or English) closely enough; a number alone never does.
 *
 * Similarity, 0–1, the better of two measures:
 * - English: the share of the title's content words found in the heading (words compared by
 *   their first five letters, so "logging"/"logs" and "events"/"event" agree);
 * - Japanese: character bigrams shared by the heading and the title, over the smaller set (so a
 *   shortened heading such as 「ログの取得」 still matches 「イベントログ取得」).
 */
import type { IdCandidate } from '../../../catalog/src/normalize';
import type { Text } from '../../../catalog/src/types';

/** Default similarity a numbered heading needs to claim (`numberedHeadings:` in `.x1051.yaml`). */
export const DEFAULT_HEADING_SIMILARITY = 0.5;

const STOP = new Set(['and', 'the', 'for', 'with', 'from', 'into', 'our', 'its', 'their', 'of', 'to', 'in', 'on', 'a', 'an', 'policy', 'procedure', 'procedures', 'standard']);

function words(s: string): string[] {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3 && !STOP.has(w))
    .map((w) => w.slice(0, 5));
}

function bigrams(s: string): Set<string> {
  const t = s.normalize('NFKC').replace(/[\s\p{P}\p{S}0-9A-Za-z]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

/** How closely a heading's words (without its number) match a control's title, 0–1. */
export function titleSimilarity(words_: string, title: Text): number {
  const tw = words(title.en);
  const hw = new Set(words(words_));
  const en = tw.length > 0 ? tw.filter((w) => hw.has(w)).length / tw.length : 0;
  const hb = bigrams(words_);
  const tb = bigrams(title.ja);
  let shared = 0;
  for (const b of hb) if (tb.has(b)) shared++;
  const ja = hb.size > 0 && tb.size > 0 ? shared / Math.min(hb.size, tb.size) : 0;
  return Math.max(en, ja);
}

/**
 * Whether a bare-number candidate in a heading's rendered text is the heading's leading number
 * (nothing before it but spaces or `§`), and the rest of the heading, when it is.
 */
export function leadingNumberRest(headingText: string, cand: IdCandidate): string | undefined {
  if (cand.prefix !== 'none' || cand.bracketed || cand.itemLabels.length > 0) return undefined;
  if (!/^[\s§]*$/u.test(headingText.slice(0, cand.start))) return undefined;
  const rest = headingText.slice(cand.end).replace(/^[\s.:：、\-–—]+/u, '');
  return rest.trim() === '' ? undefined : rest;
}
