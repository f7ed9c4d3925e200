import type { Rule } from './rule';
import { docsUrl } from './rule';

/**
 * invalid-config: a problem in `.x1051.yaml`, found by `parseConfig` (unknown keys are warnings,
 * bad values errors; the default is used for a bad value).
 */
export const invalidConfig: Rule = {
  code: 'invalid-config',
  description: {
    en: 'The .x1051.yaml configuration has an unknown key (warning) or a bad value (error; the default is used).',
    ja: '.x1051.yaml に不明なキー（警告）または不正な値（エラー、既定値を使用）がある。',
  },
  defaultSeverity: 'error',
  docs: docsUrl('invalid-config'),
  tags: ['config'],
  scope: 'config',
};
