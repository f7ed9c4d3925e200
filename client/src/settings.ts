/**
 * Settings and language helpers of the client.
 *
 * Every setting lives under the `x1051.` prefix; the server reads them itself through
 * `workspace/configuration`, so the client only needs the few that decide the language of the
 * text it inserts or shows.
 */
import * as vscode from 'vscode';
import type { Lang } from './catalog';

/** The configuration section every setting of the extension lives in. */
export const SECTION = 'x1051';

/** Value of `x1051.language`. */
export type LanguageSetting = 'auto' | Lang;

/** Reads `x1051.language` for a resource (or the window when none is given). */
export function languageSetting(scope?: vscode.Uri): LanguageSetting {
  const value = vscode.workspace.getConfiguration(SECTION, scope).get<string>('language', 'auto');
  return value === 'ja' || value === 'en' ? value : 'auto';
}

/** Value of `x1051.coverage.groupBy`: the numbering the coverage sidebar groups controls by. */
export type GroupBy = '2013' | '2022';

/** Reads `x1051.coverage.groupBy`. */
export function coverageGroupBy(): GroupBy {
  return vscode.workspace.getConfiguration(SECTION).get<string>('coverage.groupBy', '2013') === '2022' ? '2022' : '2013';
}

/** The VS Code display language reduced to the two languages of the catalogue. */
export function uiLanguage(): Lang {
  return vscode.env.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * Tells the language of a text the same way for every command: Japanese as soon as kana or CJK
 * ideographs make up a noticeable part of it, English otherwise; `undefined` for a text with
 * neither (an empty file), so the caller can fall back.
 */
export function detectLanguage(text: string): Lang | undefined {
  const sample = text.slice(0, 20000);
  const japanese = sample.match(/[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/g)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  if (japanese === 0 && latin === 0) return undefined;
  // Japanese prose carries Latin ids and acronyms, so a few kana or kanji already tell it apart.
  return japanese * 4 >= latin || japanese > 200 ? 'ja' : 'en';
}

/**
 * The language to use for text inserted into, or shown for, a document: the setting when it is
 * fixed, else the document's own language, else the display language.
 */
export function languageFor(document?: vscode.TextDocument): Lang {
  const setting = languageSetting(document?.uri);
  if (setting !== 'auto') return setting;
  return (document && detectLanguage(document.getText())) ?? uiLanguage();
}
