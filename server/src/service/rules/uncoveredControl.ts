import type { Rule } from './rule';
import { docsUrl } from './rule';

/**
 * uncovered-control: the config declares a control applicable, but no document claims it.
 * Computed by the coverage (it needs every document), reported on the config's entry.
 */
export const uncoveredControl: Rule = {
  code: 'uncovered-control',
  description: {
    en: 'A control declared applicable in .x1051.yaml is claimed by no policy document.',
    ja: '.x1051.yaml で適用とした管理策を、どの文書も引用していない。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('uncovered-control'),
  tags: ['coverage', 'config'],
  scope: 'workspace',
};
