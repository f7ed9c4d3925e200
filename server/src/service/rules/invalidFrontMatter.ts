import type { Rule } from './rule';
import { docsUrl } from './rule';

/**
 * invalid-front-matter: the YAML front matter does not parse, or `controls` is not a list of
 * id-shaped strings. Found while reading the document; the rest of the document is still checked.
 */
export const invalidFrontMatter: Rule = {
  code: 'invalid-front-matter',
  description: {
    en: 'The front matter is not valid YAML, or `controls` is not a list of control ids.',
    ja: 'フロントマターが YAML として不正、または `controls` が管理策 ID のリストでない。',
  },
  defaultSeverity: 'error',
  docs: docsUrl('invalid-front-matter'),
  tags: ['syntax'],
  scope: 'document',
  check(ctx) {
    for (const p of ctx.model.problems) if (p.code === 'invalid-front-matter') ctx.report({ message: p.message, range: p.range, severity: p.severity });
  },
};
