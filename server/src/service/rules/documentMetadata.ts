import type { Rule } from './rule';
import { docsUrl } from './rule';
import { readMetadata, todayUtc, type MetadataKey } from '../metadata';

/** The keys every policy should carry; `next-review` may instead be `reviewed` plus `review-interval`. */
const REQUIRED: readonly MetadataKey[] = ['owner', 'approved-by', 'approved', 'version'];

const JA_NAMES: Record<MetadataKey, string> = {
  owner: '所管 (owner)',
  'approved-by': '承認者 (approved-by)',
  approved: '承認日 (approved)',
  version: '版 (version)',
  'next-review': '次回見直し (next-review)',
  reviewed: '最終見直し (reviewed)',
  'review-interval': '見直し間隔 (review-interval)',
};

/**
 * document-metadata: a policy's front matter lacks its owner, approver, approval date, version or
 * next review (`next-review`, or `reviewed` plus `review-interval`), or a date or interval cannot
 * be read, or the approval date lies in the future. Missing keys are reported (information) for
 * documents whose front matter already carries some metadata, and for every document that claims
 * a control when `.x1051.yaml` says `metadata: required` (then as a warning).
 */
export const documentMetadata: Rule = {
  code: 'document-metadata',
  description: {
    en: 'The policy lacks owner, approval, version or review metadata in its front matter, or a date in it is wrong.',
    ja: 'フロントマターに所管・承認者・承認日・版・次回見直しが無い、または日付が不正。',
  },
  defaultSeverity: 'information',
  docs: docsUrl('document-metadata'),
  tags: ['hygiene', 'metadata'],
  scope: 'document',
  check(ctx) {
    const { parsed, claims } = ctx.model;
    const ja = ctx.lang === 'ja';
    const meta = readMetadata(parsed);
    const values = meta?.values ?? {};
    const required = ctx.config.metadata === 'required';
    const hasAny = Object.keys(values).length > 0;

    for (const [key, v] of Object.entries(values) as Array<[MetadataKey, NonNullable<(typeof values)[MetadataKey]>]>) {
      if (v.valid) continue;
      const what = key === 'review-interval' ? (ja ? '期間' : 'an interval (e.g. 1y, 6 months, 1年)') : ja ? '日付' : 'a date (YYYY-MM-DD)';
      ctx.report({
        severity: 'warning',
        message: ja ? `${v.key}: 「${v.text}」は${what}として読めません（例: 2025-04-01、1年）` : `${v.key}: "${v.text}" is not ${what}`,
        range: v.range,
        data: { key },
      });
    }
    const approved = values.approved;
    const today = ctx.config.today ?? todayUtc();
    if (approved?.date && approved.date > today) {
      ctx.report({
        severity: 'warning',
        message: ja ? `承認日 ${approved.date} が未来の日付です` : `The approval date ${approved.date} is in the future`,
        range: approved.range,
        data: { key: 'approved' },
      });
    }

    // Without `metadata: required`, only a document that already keeps metadata is told what it
    // lacks: many repositories keep policies without front matter, and the date checks above
    // apply to whatever is written.
    if (!required && !hasAny) return;
    if (required && !hasAny && claims.length === 0 && !parsed.frontMatter) return;
    const missing: MetadataKey[] = REQUIRED.filter((k) => !values[k]);
    if (!values['next-review'] && !(values['review-interval'] && (values.reviewed || values.approved))) missing.push('next-review');
    if (missing.length === 0) return;
    const names = missing.map((k) => (ja ? JA_NAMES[k] : k)).join(ja ? '、' : ', ');
    ctx.report({
      severity: required ? 'warning' : undefined,
      message: ja ? `文書の管理情報がありません: ${names}` : `Document metadata missing: ${names}`,
      range: meta?.range ?? parsed.lines.lineRange(0),
      data: { missing },
    });
  },
};
