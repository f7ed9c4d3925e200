import type { Rule } from './rule';
import { docsUrl } from './rule';

/**
 * invalid-directive: an `x1051-…` comment that is not understood — an unknown directive or rule
 * name, a not-applicable without a reason, or with an id the catalogue lacks.
 */
export const invalidDirective: Rule = {
  code: 'invalid-directive',
  description: {
    en: 'An x1051 directive comment is malformed: unknown directive or rule, or not-applicable without an id or reason.',
    ja: 'x1051 ディレクティブが不正（不明なディレクティブやルール、ID や理由のない not-applicable）。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('invalid-directive'),
  tags: ['syntax', 'directive'],
  scope: 'document',
  check(ctx) {
    for (const p of ctx.model.problems) if (p.code === 'invalid-directive') ctx.report({ message: p.message, range: p.range, severity: p.severity });
  },
};
