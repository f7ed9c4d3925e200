import type { Rule } from './rule';
import { docsUrl } from './rule';
import { ENCODING_NAMES, type NonUtf8Encoding } from '../encoding';
import type { Lang } from '../types';

/**
 * file-encoding: the file on disk is not UTF-8 (Shift_JIS, EUC-JP, or UTF-16 with a byte-order
 * mark). It was decoded and checked like any other; the finding recommends saving it as UTF-8,
 * which every editor, Git and the CI tools read the same way.
 */
export const fileEncoding: Rule = {
  code: 'file-encoding',
  description: {
    en: 'The file is not UTF-8 (Shift_JIS, EUC-JP or UTF-16); it was decoded and checked, but UTF-8 is recommended.',
    ja: 'ファイルが UTF-8 ではない（Shift_JIS、EUC-JP、UTF-16）。デコードして検査したが、UTF-8 を推奨する。',
  },
  defaultSeverity: 'information',
  docs: docsUrl('file-encoding'),
  tags: ['encoding'],
  scope: 'document',
  check(ctx) {
    for (const p of ctx.model.problems) if (p.code === 'file-encoding') ctx.report({ message: p.message, range: p.range, severity: p.severity });
  },
};

/** The finding's message. */
export function encodingMessage(encoding: NonUtf8Encoding, lang: Lang): string {
  const name = ENCODING_NAMES[encoding];
  return lang === 'ja'
    ? `このファイルは ${name} で保存されています。読み取って検査しましたが、UTF-8 で保存することを推奨します（エディター、Git、CI で同じように読めます）`
    : `This file is saved as ${name}; it was decoded and checked, but save it as UTF-8 so that every editor, Git and CI read it the same way`;
}
