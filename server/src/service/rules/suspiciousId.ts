import type { Rule } from './rule';
import { docsUrl } from './rule';

/** Names of the characters authors meet, for messages; others are given by code point alone. */
const NAMES: Readonly<Record<string, string>> = {
  'U+200B': 'ZERO WIDTH SPACE',
  'U+200C': 'ZERO WIDTH NON-JOINER',
  'U+200D': 'ZERO WIDTH JOINER',
  'U+2060': 'WORD JOINER',
  'U+00AD': 'SOFT HYPHEN',
  'U+FEFF': 'ZERO WIDTH NO-BREAK SPACE',
  'U+200E': 'LEFT-TO-RIGHT MARK',
  'U+200F': 'RIGHT-TO-LEFT MARK',
  'U+00A0': 'NO-BREAK SPACE',
  'U+202F': 'NARROW NO-BREAK SPACE',
  'U+3002': 'IDEOGRAPHIC FULL STOP 。',
  'U+FF61': 'HALFWIDTH IDEOGRAPHIC FULL STOP ｡',
  'U+0422': 'CYRILLIC CAPITAL TE Т',
  'U+0415': 'CYRILLIC CAPITAL IE Е',
  'U+0410': 'CYRILLIC CAPITAL A А',
  'U+03A4': 'GREEK CAPITAL TAU Τ',
  'U+0395': 'GREEK CAPITAL EPSILON Ε',
  'U+0391': 'GREEK CAPITAL ALPHA Α',
};

/**
 * Something that reads like a TEL control id but whose numbers are separated by characters no
 * id uses (`TEL.18-1-6`, `TEL 18,1,6`, `TEL.18・1・6`): bounded, so linear in the text.
 */
const UNREADABLE = /(?<![A-Za-z])(?:TEL|ＴＥＬ)[ .．。]{0,2}[0-9０-９]{1,2}([-‐–,，・·:：_/])[0-9０-９]{1,2}\1[0-9０-９]{1,2}(?![0-9０-９])/g;

/**
 * suspicious-id: a control id written with invisible or look-alike characters (a zero-width
 * space, a no-break space, 。 for the dots, a Cyrillic Т) — read through, so the claim stands,
 * but reported so the author retypes it and other tools read it too; and an id-shaped string that
 * cannot be read at all (`TEL.18-1-6`), which claims nothing and must not pass in silence.
 */
export const suspiciousId: Rule = {
  code: 'suspicious-id',
  description: {
    en: 'A control id is written with invisible or look-alike characters, or looks like an id but cannot be read.',
    ja: '管理策 ID に不可視文字や紛らわしい文字が含まれている、または ID のように見えるが読み取れない。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('suspicious-id'),
  tags: ['citation'],
  scope: 'document',
  check(ctx) {
    const ja = ctx.lang === 'ja';
    for (const c of ctx.model.citations) {
      if (!c.suspicious) continue;
      const chars = c.suspicious.map((u) => (NAMES[u] ? `${u} ${NAMES[u]}` : u)).join(', ');
      const readAs = c.item ?? c.control ?? c.normalized;
      ctx.report({
        severity: 'information',
        message: ja
          ? `ID「${c.raw}」に不可視文字または紛らわしい文字（${chars}）が含まれています。${readAs} として読みました。打ち直してください`
          : `The id "${c.raw}" contains invisible or look-alike characters (${chars}); read as ${readAs}. Retype it`,
        range: c.range,
        control: c.control,
        item: c.item,
        data: { characters: c.suspicious, readAs },
      });
    }
    const { parsed } = ctx.model;
    for (const block of parsed.blocks) {
      const text = block.rendered.text;
      if (!/TEL|ＴＥＬ/.test(text)) continue;
      for (const m of text.matchAll(UNREADABLE)) {
        const start = block.rendered.map[m.index!];
        const end = block.rendered.map[m.index! + m[0].length - 1] + 1;
        ctx.report({
          message: ja
            ? `「${m[0]}」は管理策 ID のようですが、区切りが「.」でないため読み取れず、何も引用していません`
            : `"${m[0]}" looks like a control id but cannot be read (its numbers are not separated by dots); it cites nothing`,
          range: parsed.lines.range(start, end),
          data: { written: m[0] },
        });
      }
    }
  },
};
