/**
 * Fidelity of the catalogue's Japanese text to the standard (catalog/source/jt-x1051.txt).
 *
 * Both texts are compared without white space (the extraction breaks lines anywhere), with the
 * recorded errata applied to the source:
 * - forward: every sentence of the ranges the catalogue must hold (definitions 3.1, the telecom
 *   guidance and related information of clauses 5–18, Annex A, Annex B) occurs in the catalogue's
 *   Japanese text, concatenated entry by entry in document order;
 * - backward: every Japanese sentence of the catalogue (all ja fields except `subject` and
 *   `terms`; the ISO/IEC 27002 index is not X.1051 text and is left out) occurs in the source.
 *
 * On failure the first missing sentences are printed with where they are, so the data can be
 * fixed quickly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { THESAURUS_FILE, readSourceFile } from '../../catalog/src/build';
import type { Block, Erratum, SourceEntry, SourceFile, SourceItem, SourceList, Text } from '../../catalog/src/types';
import { DATA_DIR, REPO_ROOT } from '../helpers/catalog';

const SOURCE = path.join(REPO_ROOT, 'catalog', 'source', 'jt-x1051.txt');
const SHOW = 20;

/** Removes every kind of white space, including the ideographic space. */
const squeeze = (s: string) => s.replace(/[\s\u3000]+/gu, '');

/** Page headers ("ＪＴ－Ｘ１０５１", possibly spaced) and bare page numbers are extraction artefacts. */
function isArtefact(line: string): boolean {
  const t = squeeze(line);
  return t === 'ＪＴ－Ｘ１０５１' || /^-?[0-9０-９]{1,3}-?$/u.test(t);
}

/** Lines of the source with artefacts dropped, each with its 1-based line number. */
function sourceLines(): { n: number; text: string }[] {
  return fs
    .readFileSync(SOURCE, 'utf8')
    .split(/\r?\n/)
    .map((text, i) => ({ n: i + 1, text }))
    .filter((l) => !isArtefact(l.text));
}

/** Applies errata to white-space-free text; returns the text and the errata that did not apply. */
function applyErrata(text: string, errata: Erratum[]): { text: string; unapplied: Erratum[] } {
  const unapplied: Erratum[] = [];
  for (const e of errata) {
    const found = squeeze(e.found);
    if (found === '' || !text.includes(found)) {
      // Already corrected text is fine (an erratum may have been applied by an earlier one).
      if (!text.includes(squeeze(e.corrected))) unapplied.push(e);
      continue;
    }
    text = text.split(found).join(squeeze(e.corrected));
  }
  return { text, unapplied };
}

/** Splits white-space-free text into sentences at 。 (kept with the sentence). */
function sentences(text: string): string[] {
  return text
    .split(/(?<=。)/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

// ---- The catalogue side ----------------------------------------------------------------------

interface CatalogText {
  /** Entry id (or abbreviation), for messages. */
  id: string;
  /** Field the text comes from. */
  field: string;
  ja: string;
}

function readData(): { entries: { file: string; entry: SourceEntry }[]; errata: Erratum[]; errors: string[] } {
  const entries: { file: string; entry: SourceEntry }[] = [];
  const errata: Erratum[] = [];
  const errors: string[] = [];
  // The thesaurus holds evidence vocabulary, no text of the standard.
  const names = fs.existsSync(DATA_DIR) ? fs.readdirSync(DATA_DIR).filter((n) => /\.ya?ml$/.test(n) && n !== THESAURUS_FILE).sort() : [];
  for (const name of names) {
    const { data, errors: e } = readSourceFile(name, fs.readFileSync(path.join(DATA_DIR, name), 'utf8'));
    if (!data) {
      errors.push(...e.map((x) => `${name}:${x.line ?? '?'} ${x.message}`));
      continue;
    }
    const file: SourceFile = data;
    for (const entry of file.entries) entries.push({ file: name, entry });
    errata.push(...(file.errata ?? []));
  }
  return { entries, errata, errors };
}

/** Items of a list in reading order: each item, then its sub-items. */
function listTexts(id: string, list: SourceList | undefined): CatalogText[] {
  if (!list) return [];
  const out: CatalogText[] = [];
  const walk = (items: SourceItem[], prefix: string) => {
    for (const it of items) {
      out.push({ id, field: `list ${list.list} ${prefix}${it.label}`, ja: it.ja });
      if (it.items) walk(it.items, `${prefix}${it.label} `);
    }
  };
  walk(list.items, '');
  return out;
}

function blockTexts(id: string, field: string, blocks: Block[] | undefined, lists: SourceList[] | undefined): CatalogText[] {
  const out: CatalogText[] = [];
  for (const b of blocks ?? []) {
    if ('p' in b) out.push({ id, field, ja: b.p.ja });
    // The standard prints notes as "注：…"; a note block may hold the text with or without it.
    else if ('note' in b) out.push({ id, field: `${field} note`, ja: /^注/u.test(b.note.ja) ? b.note.ja : `注：${b.note.ja}` });
    else out.push(...listTexts(id, lists?.find((l) => l.list === b.list)));
  }
  return out;
}

const opt = (id: string, field: string, t: Text | undefined): CatalogText[] => (t ? [{ id, field, ja: t.ja }] : []);
const many = (id: string, field: string, ts: Text[] | undefined): CatalogText[] => (ts ?? []).map((t) => ({ id, field, ja: t.ja }));

/** The Japanese texts of one entry in the order the standard prints them. */
function entryTexts(e: SourceEntry): CatalogText[] {
  switch (e.kind) {
    case 'clause':
      return [...opt(e.id, 'title', e.title), ...opt(e.id, 'applies', e.applies), ...many(e.id, 'notes', e.notes)];
    case 'objective':
      return [...opt(e.id, 'title', e.title), ...opt(e.id, 'objective', e.objective), ...opt(e.id, 'applies', e.applies), ...many(e.id, 'notes', e.notes)];
    case 'control':
      return [
        ...opt(e.id, 'title', e.title),
        ...opt(e.id, 'control', e.control),
        ...opt(e.id, 'applies', e.applies),
        ...blockTexts(e.id, 'guidance', e.guidance, e.lists),
        ...blockTexts(e.id, 'telecomGuidance', e.telecomGuidance, e.lists),
        ...blockTexts(e.id, 'relatedInfo', e.relatedInfo, e.lists),
        ...blockTexts(e.id, 'telecomRelatedInfo', e.telecomRelatedInfo, e.lists),
      ];
    case 'annex-b':
      return [...opt(e.id, 'title', e.title), ...blockTexts(e.id, 'body', e.body, e.lists)];
    case 'definition':
      return [...opt(e.id, 'term', e.term), ...opt(e.id, 'text', e.text), ...many(e.id, 'notes', e.notes)];
    case 'abbreviation':
      return [{ id: e.abbr, field: 'text', ja: e.text.ja }];
    case 'iso-index':
    case 'edition':
      // Titles of other standards (ISO/IEC 27002:2022, JIS Q 27002:2023), not JT-X1051 text.
      return [];
  }
}

/** Every Japanese text of an entry, including lists no block places (synthesised from a paragraph). */
function allEntryTexts(e: SourceEntry): CatalogText[] {
  const texts = entryTexts(e);
  if ((e.kind === 'control' || e.kind === 'annex-b') && e.lists) {
    const blocks = e.kind === 'control' ? [e.guidance, e.telecomGuidance, e.relatedInfo, e.telecomRelatedInfo] : [e.body];
    const placed = new Set(blocks.flatMap((bs) => (bs ?? []).flatMap((b) => ('list' in b ? [b.list] : []))));
    for (const l of e.lists) if (!placed.has(l.list)) texts.push(...listTexts(e.id, l));
  }
  return texts;
}

// ---- The source side -------------------------------------------------------------------------

/** Section labels of the standard: they separate sentences and are not catalogue text. */
const LABELS = new Set(['管理策', '実施の手引き', '関連情報', '電気通信事業者向けの実施の手引き', '電気通信事業者向けの関連情報']);
const TELECOM_LABELS = new Set(['電気通信事業者向けの実施の手引き', '電気通信事業者向けの関連情報']);

/** A heading: "5 …", "12.4.1 …", "TEL. 18.1.6 …", "B.1.1 …", with no sentence end in it. */
const HEADING = /^(?:TEL\.\s*|B\.)?[0-9]{1,2}(?:\.[0-9]{1,2}){0,2}\s+(\S.*)$/u;
/** A list label or bullet at the start of a line: "a) ", "1) ", "– ", "・". */
const LIST_LABEL = /^(?:(?:[a-z]|[0-9]{1,2})\)\s*|[–－・•]\s*)/u;

interface SourceSentence {
  line: number;
  text: string;
  range: string;
}

/**
 * Cuts the source ranges the catalogue must hold into sentences: at 。, at list labels, at
 * headings (whose titles become sentences of their own) and at section labels.
 */
function sourceSentences(lines: { n: number; text: string }[], errata: Erratum[]): SourceSentence[] {
  const find = (re: RegExp, from = 0) => lines.findIndex((l, i) => i >= from && re.test(l.text.trim()));
  // Definitions start at 3.1.1: the sentence introducing 3.1 is not an entry of its own.
  const defStart = find(/^3\.1\.1\s/u);
  const defEnd = find(/^3\.2\s+略語$/u, defStart);
  const mainStart = find(/^5\s+情報セキュリティのための方針群$/u);
  const annexA = find(/^附属書A$/u, mainStart);
  const annexAStart = find(/^TEL\.\s*9\s/u, annexA);
  const annexB = find(/^附属書B$/u, annexAStart);
  const annexBStart = find(/^B\.1\s/u, annexB);
  for (const [name, i] of Object.entries({ defStart, defEnd, mainStart, annexA, annexAStart, annexB, annexBStart })) {
    if (i < 0) throw new Error(`fidelity: cannot find the ${name} line in ${SOURCE}`);
  }
  const out: SourceSentence[] = [];
  const cut = (from: number, to: number, range: string, telecomOnly: boolean) => {
    let buf = '';
    let bufLine = 0;
    let inside = !telecomOnly;
    const flush = () => {
      const fixed = applyErrata(squeeze(buf), errata).text;
      for (const s of sentences(fixed)) out.push({ line: bufLine, text: s, range });
      buf = '';
    };
    for (let i = from; i < to; i++) {
      const { n, text } = lines[i];
      let t = text.trim();
      if (t === '') continue;
      if (LABELS.has(squeeze(t))) {
        flush();
        if (telecomOnly) inside = TELECOM_LABELS.has(squeeze(t));
        continue;
      }
      const h = HEADING.exec(t);
      if (h && !t.includes('。')) {
        flush();
        if (telecomOnly) {
          inside = false;
          continue;
        }
        bufLine = n;
        buf = h[1];
        flush();
        continue;
      }
      if (!inside) continue;
      const label = LIST_LABEL.exec(t);
      if (label || t.startsWith('目的：')) {
        flush();
        t = label ? t.slice(label[0].length) : t.slice('目的：'.length);
      }
      if (buf === '') bufLine = n;
      buf += t;
    }
    flush();
  };
  cut(defStart, defEnd, 'definitions 3.1', false);
  cut(mainStart, annexA, 'clauses 5–18 (telecom guidance)', true);
  cut(annexAStart, annexB, 'Annex A', false);
  cut(annexBStart, lines.length, 'Annex B', false);
  return out;
}

/** Formats up to SHOW misses and a count of the rest. */
function report(misses: string[], total: number, what: string): string {
  const head = misses.slice(0, SHOW).map((m) => `  - ${m}`);
  const more = misses.length > SHOW ? [`  … and ${misses.length - SHOW} more`] : [];
  return [`${misses.length} of ${total} ${what}:`, ...head, ...more].join('\n');
}

describe('catalog: fidelity to the standard (JT-X1051)', function () {
  this.timeout(60000);
  const data = readData();
  const lines = sourceLines();

  it('all data files parse (fidelity needs them)', () => {
    assert.deepEqual(data.errors, []);
  });

  it('every recorded erratum applies to the source text', () => {
    const { unapplied } = applyErrata(squeeze(lines.map((l) => l.text).join('')), data.errata);
    assert.deepEqual(unapplied.map((e) => `${e.id}: "${e.found}" not found in the source`), []);
  });

  it('every sentence of the source ranges occurs in the catalogue', () => {
    const catalogueText = squeeze(data.entries.flatMap(({ entry }) => entryTexts(entry)).map((t) => t.ja).join(''));
    const wanted = sourceSentences(lines, data.errata);
    assert.ok(wanted.length > 300, `only ${wanted.length} source sentences found: the range detection is broken`);
    const misses = wanted.filter((s) => !catalogueText.includes(s.text)).map((s) => `jt-x1051.txt:${s.line} [${s.range}] ${s.text}`);
    assert.ok(misses.length === 0, report(misses, wanted.length, 'source sentences are missing from the catalogue (or differ from it)'));
  });

  it('every Japanese sentence of the catalogue occurs in the source', () => {
    // Printed labels ("a)", "1)") are held in `label`, never in `ja`, so they are dropped here too:
    // otherwise a sub-list heading kept with its first item (TEL.13.1.4 e) 1)) could not match.
    const unlabelled = lines.map((l) => l.text.trim().replace(/^(?:[a-z]|[0-9]{1,2})\)\s*/u, ''));
    const sourceText = applyErrata(squeeze(unlabelled.join('')), data.errata).text;
    let total = 0;
    const misses: string[] = [];
    for (const { file, entry } of data.entries) {
      for (const t of allEntryTexts(entry)) {
        for (const s of sentences(squeeze(t.ja))) {
          total++;
          if (!sourceText.includes(s)) misses.push(`${file} ${t.id} ${t.field}: ${s}`);
        }
      }
    }
    assert.ok(total > 0, 'the catalogue has no Japanese text');
    assert.ok(misses.length === 0, report(misses, total, 'catalogue sentences do not occur in the source (typo, or an erratum not recorded?)'));
  });
});
