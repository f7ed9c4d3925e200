/**
 * Decoding the bytes of a policy file into text, the same way in the CLI and the server.
 *
 * UTF-8 (with or without a byte-order mark) is the norm. Japanese organisations still keep files
 * in Shift_JIS or EUC-JP, and some editors save UTF-16 with a BOM: those are decoded (the
 * platform's `TextDecoder` knows them) and the document gets one `file-encoding` information
 * finding recommending UTF-8. Anything else (NUL bytes without a UTF-16 BOM, bytes valid in no
 * known encoding) is refused with a reason, never read as replacement characters.
 *
 * Pure: uses only the `TextDecoder` global (Node and browsers).
 */

/** Encodings x1051 reads besides UTF-8 (WHATWG names, as `TextDecoder` takes them). */
export type NonUtf8Encoding = 'utf-16le' | 'utf-16be' | 'shift_jis' | 'euc-jp';

/** Text decoded from bytes; `encoding` is set when the file was not UTF-8. */
export interface DecodedText {
  text: string;
  encoding?: NonUtf8Encoding;
}

/** Why bytes could not be read as text. */
export interface DecodeRefusal {
  refused: string;
}

/** Display names of the encodings, for messages. */
export const ENCODING_NAMES: Record<NonUtf8Encoding, string> = {
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  shift_jis: 'Shift_JIS',
  'euc-jp': 'EUC-JP',
};

const decode = (encoding: string, bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

/**
 * How Japanese a decoded text looks: kana and Japanese punctuation count for, kanji a little,
 * half-width katakana and characters from the private-use and compatibility blocks against (a
 * wrong guess between Shift_JIS and EUC-JP, or Latin-1 read as either, turns words into such
 * characters). Text without a single kana or Japanese punctuation mark is not Japanese: 0.
 */
function japaneseScore(text: string): number {
  let score = 0;
  let kana = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3000 && c <= 0x303f)) {
      score += 2;
      kana++;
    } else if (c >= 0x4e00 && c <= 0x9fff) score += 1;
    else if ((c >= 0xff61 && c <= 0xff9f) || (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x80 && c <= 0x9f)) score -= 3;
  }
  return kana > 0 ? score : 0;
}

/**
 * Decodes a file's bytes. A UTF-8 BOM is dropped (editors do not count it in columns); UTF-16
 * needs its BOM; Shift_JIS and EUC-JP are tried only when the bytes are not UTF-8, and the one
 * whose text looks more Japanese wins.
 */
export function decodeText(bytes: Uint8Array): DecodedText | DecodeRefusal {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    const text = decode('utf-16le', bytes.subarray(2));
    return text === undefined ? { refused: 'not valid UTF-16, not checked (save it as UTF-8)' } : { text, encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const text = decode('utf-16be', bytes.subarray(2));
    return text === undefined ? { refused: 'not valid UTF-16, not checked (save it as UTF-8)' } : { text, encoding: 'utf-16be' };
  }
  if (bytes.includes(0)) return { refused: 'binary file (it contains NUL bytes), not checked' };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const utf8 = decode('utf-8', bytes.subarray(start));
  if (utf8 !== undefined) return { text: utf8 };
  // Both legacy decoders accept many byte strings (Latin-1 text among them): a decoding counts
  // only when the text reads as Japanese.
  const sjis = decode('shift_jis', bytes);
  const euc = decode('euc-jp', bytes);
  const sjisScore = sjis === undefined ? 0 : japaneseScore(sjis);
  const eucScore = euc === undefined ? 0 : japaneseScore(euc);
  if (eucScore > 0 && eucScore > sjisScore) return { text: euc!, encoding: 'euc-jp' };
  if (sjisScore > 0) return { text: sjis!, encoding: 'shift_jis' };
  return { refused: 'not valid UTF-8, not checked (save it as UTF-8; Shift_JIS, EUC-JP and UTF-16 with a BOM are read too)' };
}
