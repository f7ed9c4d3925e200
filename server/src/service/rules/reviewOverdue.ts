import type { Rule } from './rule';
import { docsUrl } from './rule';
import { readMetadata, reviewDue, todayUtc } from '../metadata';

/**
 * review-overdue: the policy's review date has passed — its `next-review`, or its last review
 * (`reviewed`, else `approved`) plus `review-interval`. Today's date is the machine's (UTC)
 * unless the caller injects one (`x1051 check --today`, for reproducible CI).
 */
export const reviewOverdue: Rule = {
  code: 'review-overdue',
  description: {
    en: "The policy's review date has passed.",
    ja: '文書の見直し期限を過ぎている。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('review-overdue'),
  tags: ['hygiene', 'metadata'],
  scope: 'document',
  check(ctx) {
    const meta = readMetadata(ctx.model.parsed);
    if (!meta) return;
    const due = reviewDue(meta);
    const today = ctx.config.today ?? todayUtc();
    if (!due || due.date >= today) return;
    const days = Math.round((Date.parse(today) - Date.parse(due.date)) / 86_400_000);
    const value = meta.values[due.from === 'next-review' ? 'next-review' : due.from];
    ctx.report({
      message:
        ctx.lang === 'ja'
          ? `見直し期限 ${due.date} を ${days} 日過ぎています`
          : `The review was due on ${due.date} (${days} day${days === 1 ? '' : 's'} ago)`,
      range: (meta.values['next-review'] ?? meta.values['review-interval'] ?? value)?.range ?? meta.range,
      data: { due: due.date, today },
    });
  },
};
