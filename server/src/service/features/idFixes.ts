/**
 * The suspicious-id quick fix: retypes an id written with invisible or look-alike characters,
 * dropping the invisible ones and folding the look-alikes (full-width forms, which Japanese text
 * uses on purpose, are kept). The id reads the same afterwards, so its claim is kept.
 */
import { cleanIdText } from '../../../../catalog/src/normalize';
import { LineIndex } from '../text';
import type { Finding, Lang, PolicyDocument } from '../types';
import type { CodeActionEntry } from './codeActions';

/** Quick fixes for the suspicious-id findings (those read through) among `findings`. */
export function suspiciousIdFixes(findings: readonly Finding[], doc: PolicyDocument, lang: Lang): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  let lines: LineIndex | undefined;
  for (const f of findings) {
    if (f.code !== 'suspicious-id' || !Array.isArray(f.data?.characters)) continue;
    lines ??= new LineIndex(doc.getText());
    const written = doc.getText().slice(lines.offsetAt(f.range.start), lines.offsetAt(f.range.end));
    const newText = cleanIdText(written);
    if (newText === written) continue;
    out.push({
      title: lang === 'ja' ? `ID を「${newText}」と打ち直す` : `Retype the id as "${newText}"`,
      kind: 'quickfix',
      edits: [{ range: f.range, newText }],
      fixes: [f],
      isPreferred: true,
    });
  }
  return out;
}
