/**
 * The weak-wording quick fix: replaces exactly the hedged phrase with its mandatory form
 * ("should" → "must", 「することが望ましい」 → 「する」), keeping the phrase's capitalisation and
 * leaving the rest of the sentence as the author wrote it. Phrases without a mandatory form
 * (「可能な限り」, "where possible") get no fix: rewriting them needs a person.
 */
import { LineIndex } from '../text';
import type { Finding, Lang, PolicyDocument } from '../types';
import type { CodeActionEntry } from './codeActions';

/** Quick fixes for the weak-wording findings among `findings`. */
export function weakWordingFixes(findings: readonly Finding[], doc: PolicyDocument, lang: Lang): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  let lines: LineIndex | undefined;
  for (const f of findings) {
    const replacement = f.code === 'weak-wording' ? f.data?.replacement : undefined;
    if (typeof replacement !== 'string') continue;
    lines ??= new LineIndex(doc.getText());
    const written = doc.getText().slice(lines.offsetAt(f.range.start), lines.offsetAt(f.range.end));
    const newText = /^[A-Z]/.test(written) ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
    out.push({
      title: lang === 'ja' ? `「${written}」を「${newText}」に置き換える` : `Replace "${written}" with "${newText}"`,
      kind: 'quickfix',
      edits: [{ range: f.range, newText }],
      fixes: [f],
      isPreferred: true,
    });
  }
  return out;
}
