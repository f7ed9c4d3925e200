// Input generators for the benchmarks: realistic Markdown security policies, in Japanese and in
// English, built from the compiled catalogue (dist/catalog.json) so that they cite real controls
// and use the real evidence terms.
//
// A generated policy looks like the ones operators write: numbered articles (第N条 / N.) whose
// headings cite one or two controls (sometimes only some items), an introductory paragraph, a
// numbered list with one provision per line, an occasional table, subsections, cross-references
// to other controls in prose, and unclaimed articles (purpose, definitions, revision history).
// About a quarter of the catalogue's items are never addressed in a document, so the check has
// missing-item findings to report, and a few citations are of ids that do not exist.
//
// Everything is deterministic for a given seed, so two runs benchmark the same text.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A small seeded pseudo-random generator (mulberry32): fast, and identical on every machine.
 * @param {number} seed
 * @returns {() => number} a function returning floats in [0, 1)
 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Reads the compiled catalogue and keeps what the generator needs.
 * @param {string} [file] path of catalog.json (default dist/catalog.json)
 */
export function loadGeneratorCatalog(file = join(ROOT, 'dist', 'catalog.json')) {
  const catalog = JSON.parse(readFileSync(file, 'utf8'));
  const controls = catalog.controls.map((c) => ({
    id: c.id,
    title: c.title ?? { ja: c.id, en: c.id },
    items: (c.items ?? []).map((i) => ({ id: i.id, label: i.label, list: i.list, terms: i.terms ?? { ja: [], en: [] } })),
  }));
  // Controls with items are the ones policies are checked against; the others (ISO controls
  // applied as-is) are still cited, as real policies cite them.
  const withItems = controls.filter((c) => c.items.some((i) => i.terms.ja?.length && i.terms.en?.length));
  if (withItems.length === 0) throw new Error(`the catalogue ${file} has no control with evidence terms; run npm run build`);
  return { controls, withItems };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];

// Sentence frames. `{t}` is replaced by an evidence term (both parts of an `A + B` term are put in
// the same sentence through `{a}` / `{b}`); the others are filler that addresses nothing.
const FRAMES = {
  ja: {
    one: [
      '当社は、{t}について管理手順を定め、少なくとも年1回見直す。',
      '所管部門は、{t}に関する運用状況を定期的に確認し、その結果を記録する。',
      '{t}に関する手順は、情報セキュリティ委員会の承認を得て全従業員に周知する。',
      '従業員は、{t}について定められた手順に従って業務を行う。',
      '{t}については、責任者を定めて適切に管理する。',
      '当社は、{t}に係る措置を講じ、その実施状況を内部監査で確認する。',
    ],
    two: [
      '{a}については、{b}を考慮して運用手順を定める。',
      '当社は、{a}に関して{b}を確実に実施する。',
    ],
    filler: [
      '本条の運用状況は、内部監査部が毎事業年度に監査する。',
      '所管部門は、必要に応じて関連する手順書及び様式を整備する。',
      '本条に定めのない事項は、情報セキュリティ委員会が別に定める。',
      '手順の改訂にあたっては、関係部門の意見を聴取する。',
      '記録は所定の保管場所に保存し、閲覧は権限を有する者に限る。',
      '委託先に業務を委託する場合も、本条と同等の水準を契約で求める。',
      '担当者の異動時には、引継ぎ書を作成して後任者に説明する。',
      '年度計画の策定時に、前年度の実績と課題を報告する。',
    ],
    subsections: ['運用', '記録', '例外の取扱い', '教育', '見直し'],
    unclaimed: ['目的', '適用範囲', '定義', '役割と責任', '改訂履歴', '附則'],
    see: (a, b) => `詳細は ${a} 及び［${b}］を参照する。`,
    unknown: (id) => `関連する管理策 ${id} も考慮する。`,
    table: ['| 項目 | 内容 | 所管 |', '| --- | --- | --- |'],
    owners: ['情報システム部', 'ネットワーク運用部', 'コンプライアンス推進部', '総務部', 'カスタマーサービス部'],
  },
  en: {
    one: [
      'We define procedures for {t} and review them at least once a year.',
      'The owning department checks {t} regularly and records the results.',
      'Procedures for {t} are approved by the security committee and communicated to all staff.',
      'Staff handle {t} as the documented procedures require.',
      'A named manager is responsible for {t}.',
      'The internal audit team verifies the measures taken for {t} every year.',
    ],
    two: [
      'For {a}, operating procedures take {b} into account.',
      'We make sure that {a} is handled together with {b}.',
    ],
    filler: [
      'Internal audit reviews how this section is applied every financial year.',
      'The owning department maintains the related runbooks and forms as needed.',
      'Anything this section does not settle is decided by the security committee.',
      'Departments concerned are consulted before the procedures are revised.',
      'Records are kept in the designated repository and read only by authorised people.',
      'Contractors are bound by contract to an equivalent level of protection.',
      'When staff change roles, a handover note is written for the successor.',
      'The annual plan reports last year\u2019s results and open issues.',
    ],
    subsections: ['Operation', 'Records', 'Exceptions', 'Training', 'Review'],
    unclaimed: ['Purpose', 'Scope', 'Definitions', 'Roles and responsibilities', 'Revision history', 'Supplementary provisions'],
    see: (a, b) => `See ${a} and [${b}] for details.`,
    unknown: (id) => `Control ${id} is also taken into account.`,
    table: ['| Topic | Rule | Owner |', '| --- | --- | --- |'],
    owners: ['IT department', 'Network operations', 'Compliance office', 'General affairs', 'Customer service'],
  },
};

/** A sentence addressing an item through one of its terms (both parts of an `A + B` term). */
function termSentence(r, lang, item) {
  const f = FRAMES[lang];
  const term = pick(r, item.terms[lang]);
  const parts = term.split(/\s*\+\s*/);
  if (parts.length >= 2) return pick(r, f.two).replace('{a}', parts[0]).replace('{b}', parts.slice(1).join(' '));
  return pick(r, f.one).replace('{t}', term);
}

/** Wraps English prose at about 90 columns, as authors' editors do; Japanese stays one line. */
function wrap(lang, text) {
  if (lang === 'ja') return [text];
  const out = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > 90) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** A citation of a control as authors write it: mostly canonical, sometimes full-width or prefixed. */
function cite(r, lang, id) {
  const x = r();
  if (lang === 'ja' && x < 0.1) return id.replace(/[A-Za-z0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  if (!id.startsWith('TEL.') && x < 0.4) return `${lang === 'ja' ? 'JT-X1051' : 'ISO/IEC 27011'} ${id}`;
  return id;
}

/**
 * One claimed article: a heading citing a control (or some of its items, or two controls), and a
 * body addressing the claimed items that are not among the document's gaps (most of them).
 */
function claimedSection(r, lang, n, cat, gaps, out) {
  const f = FRAMES[lang];
  // One claim in five is of an ISO control applied as-is (no items to check), as in real policies.
  const c = r() < 0.2 ? pick(r, cat.controls) : pick(r, cat.withItems);
  const title = c.title[lang] ?? c.id;
  const second = r() < 0.1 ? pick(r, cat.controls) : undefined;
  let items = c.items.filter((i) => i.terms[lang]?.length);
  let cited = cite(r, lang, c.id);
  if (r() < 0.12 && items.length > 2) {
    // Only one item is claimed ("TEL.18.1.6 c)").
    items = [pick(r, items)];
    cited = `${c.id} ${items[0].label}`;
  }
  const cites = second ? `${cited}, ${cite(r, lang, second.id)}` : cited;
  out.push(lang === 'ja' ? `## 第${n}条 ${title}（${cites}）` : `## ${n}. ${title} (${cites})`, '');
  out.push(...wrap(lang, pick(r, f.filler) + (lang === 'ja' ? '' : ' ') + pick(r, f.filler)), '');
  // The document's gaps are never addressed; other items are now and then left to another section.
  const addressed = items.filter((i) => !gaps.has(i.id) && r() < 0.85);
  if (r() < 0.15 && addressed.length >= 2) {
    out.push(...f.table);
    for (const it of addressed) out.push(`| ${it.label} | ${termSentence(r, lang, it)} | ${pick(r, f.owners)} |`);
    out.push('');
  } else {
    addressed.forEach((it, k) => out.push(...wrap(lang, termSentence(r, lang, it)).map((l, j) => (j === 0 ? `${k + 1}. ${l}` : `   ${l}`))));
    out.push('');
  }
  if (r() < 0.3) {
    const a = pick(r, cat.controls).id;
    const b = pick(r, cat.controls).id;
    out.push(...wrap(lang, f.see(a, b)), '');
  }
  if (r() < 0.02) out.push(...wrap(lang, f.unknown(`${c.id}9`)), '');
  if (r() < 0.03 && addressed.length < items.length) {
    const skipped = items.find((i) => !addressed.includes(i));
    out.push(`<!-- x1051-not-applicable ${skipped.id}: ${lang === 'ja' ? '当社は該当する設備を保有しない' : 'we operate no such equipment'} -->`, '');
  }
  const subs = Math.floor(r() * 3);
  for (let s = 1; s <= subs; s++) {
    out.push(lang === 'ja' ? `### ${n}.${s} ${pick(r, f.subsections)}` : `### ${n}.${s} ${pick(r, f.subsections)}`, '');
    const sentences = 1 + Math.floor(r() * 3);
    const para = [];
    for (let k = 0; k < sentences; k++) para.push(pick(r, f.filler));
    out.push(...wrap(lang, para.join(lang === 'ja' ? '' : ' ')), '');
    if (r() < 0.1) out.push('```text', lang === 'ja' ? '申請書番号: XXXX-0000' : 'Request form: XXXX-0000', '```', '');
  }
}

/** One article that claims nothing (purpose, definitions, ...). */
function unclaimedSection(r, lang, n, out) {
  const f = FRAMES[lang];
  out.push(lang === 'ja' ? `## 第${n}条（${pick(r, f.unclaimed)}）` : `## ${n}. ${pick(r, f.unclaimed)}`, '');
  const para = [];
  for (let k = 0; k < 2 + Math.floor(r() * 3); k++) para.push(pick(r, f.filler));
  out.push(...wrap(lang, para.join(lang === 'ja' ? '' : ' ')), '');
}

/**
 * Generates one policy of exactly `lines` lines.
 * @param {object} options
 * @param {number} options.lines number of lines
 * @param {'ja'|'en'|'mixed'} [options.lang] language; `mixed` alternates chapters (about 60 % ja)
 * @param {number} [options.seed]
 * @param {ReturnType<typeof loadGeneratorCatalog>} options.catalog
 * @param {boolean} [options.frontMatter] start with a front matter claiming one control
 * @returns {string}
 */
export function generatePolicy({ lines, lang = 'mixed', seed = 1, catalog, frontMatter = false }) {
  const r = rng(seed);
  const out = [];
  const docLang = lang === 'mixed' ? 'ja' : lang;
  if (frontMatter) {
    const c = pick(r, catalog.withItems);
    out.push('---', `title: ${docLang === 'ja' ? '情報セキュリティ規程' : 'Information security policy'}`, `controls: [${c.id}]`, '---', '');
  }
  out.push(docLang === 'ja' ? '# 情報セキュリティ管理規程' : '# Information Security Policy', '');
  out.push(...wrap(docLang, docLang === 'ja' ? '制定 2020年4月1日　最終改正 2025年10月1日　所管：情報セキュリティ推進部' : 'Owner: Chief Information Security Officer. Approved by the board on 1 April 2025.'), '');
  // About a quarter of the catalogue's items are gaps of this document: no section addresses them,
  // so they are reported as missing whatever the number of claims of their control.
  const gaps = new Set(catalog.withItems.flatMap((c) => c.items).filter(() => r() < 0.25).map((i) => i.id));
  let n = 0;
  let chapter = 0;
  let chapterLang = docLang;
  while (out.length < lines) {
    // A chapter of 5–15 articles; in a mixed document each chapter picks its language.
    chapter++;
    if (lang === 'mixed') chapterLang = r() < 0.6 ? 'ja' : 'en';
    out.push(chapterLang === 'ja' ? `# 第${chapter}章 ${pick(r, ['総則', '運用', '設備', '通信', '人的管理'])}` : `# Chapter ${chapter}. ${pick(r, ['General', 'Operations', 'Facilities', 'Communications', 'People'])}`, '');
    const articles = 5 + Math.floor(r() * 11);
    for (let a = 0; a < articles && out.length < lines; a++) {
      n++;
      if (r() < 0.8) claimedSection(r, chapterLang, n, catalog, gaps, out);
      else unclaimedSection(r, chapterLang, n, out);
    }
  }
  out.length = lines;
  return out.join('\n') + '\n';
}

/**
 * Writes a corpus of `docs` policies (half Japanese, half English, 40–160 lines each) in a few
 * department folders under `dir`, with a `.x1051.yaml` at its root declaring some controls
 * applicable. Returns the paths written.
 * @param {string} dir
 * @param {object} options
 * @param {number} options.docs
 * @param {ReturnType<typeof loadGeneratorCatalog>} options.catalog
 * @param {number} [options.seed]
 */
export function generateCorpus(dir, { docs, catalog, seed = 7 }) {
  const r = rng(seed);
  mkdirSync(dir, { recursive: true });
  const applicable = catalog.withItems.filter(() => r() < 0.5).map((c) => `  ${c.id}: applicable`);
  writeFileSync(join(dir, '.x1051.yaml'), ['# Generated for the benchmark.', 'language: auto', 'applicability:', ...applicable, ''].join('\n'));
  const depts = ['network', 'customer', 'facilities', 'it', 'hr', 'legal', 'noc', 'security'];
  const paths = [];
  for (let i = 0; i < docs; i++) {
    const lang = i % 2 === 0 ? 'ja' : 'en';
    const sub = join(dir, depts[i % depts.length], lang);
    mkdirSync(sub, { recursive: true });
    const lines = 40 + Math.floor(r() * 121);
    const file = join(sub, `policy-${String(i).padStart(4, '0')}.md`);
    writeFileSync(file, generatePolicy({ lines, lang, seed: seed * 100003 + i, catalog, frontMatter: r() < 0.1 }));
    paths.push(file);
  }
  return paths;
}

/** Sentences of ordinary policy prose without control ids (our own wording), per language. */
const PLAIN = {
  en: {
    titles: ['Acceptable use', 'Remote working', 'Password management', 'Clean desk', 'Data retention', 'Vendor onboarding', 'Mobile devices', 'Backup and restore', 'Incident reporting', 'Change requests', 'Visitor access', 'Email use', 'Training and awareness', 'Records management', 'Network operations'],
    sections: ['Purpose', 'Scope', 'Roles and responsibilities', 'Requirements', 'Procedure', 'Exceptions', 'Enforcement', 'Review', 'Definitions', 'Related documents'],
    sentences: [
      'This policy applies to all employees, contractors and temporary staff of the company.',
      'Managers must make sure that their teams have read and understood this document.',
      'Requests for an exception are sent to the security team and recorded with a reason and an end date.',
      'Laptops are locked when left unattended, even for a short time.',
      'Passwords are at least fourteen characters long and are never shared with colleagues.',
      'Backups are tested every quarter by restoring a sample of files to a separate system.',
      'Suspected incidents are reported to the service desk immediately, by phone or through the portal.',
      'Paper records containing customer data are shredded when they are no longer needed.',
      'Visitors sign in at reception, wear a badge and are accompanied at all times.',
      'Changes to production systems are approved by the change board before they are made.',
      'Staff complete the annual awareness course and a short test at the end of it.',
      'Suppliers sign a confidentiality agreement before they receive any internal information.',
      'The document owner reviews this policy at least once a year and after any major change.',
      'Failure to follow this policy may lead to disciplinary action.',
    ],
    table: ['| Role | Responsibility |', '| --- | --- |', '| Owner | Keeps the policy current |', '| Managers | Apply it in their teams |', '| Staff | Follow it every day |'],
  },
  ja: {
    titles: ['利用規程', 'テレワーク規程', 'パスワード管理基準', 'クリアデスク基準', '記録保存規程', '委託先選定手順', 'モバイル端末利用基準', 'バックアップ手順', '事故報告手順', '変更申請手順', '来訪者管理基準', '電子メール利用基準', '教育訓練規程', '文書管理規程', 'ネットワーク運用基準'],
    sections: ['目的', '適用範囲', '役割と責任', '遵守事項', '手順', '例外', '違反時の措置', '見直し', '用語の定義', '関連文書'],
    sentences: [
      'この規程は、当社の全従業員、派遣社員及び業務委託先の要員に適用する。',
      '各部門の長は、部下がこの規程を理解していることを確認する。',
      '例外を求める場合は、理由と期限を添えて情報セキュリティ委員会に申請する。',
      '席を離れるときは、短時間であっても端末を施錠する。',
      'パスワードは十四文字以上とし、他人と共有してはならない。',
      'バックアップは四半期ごとに一部のファイルを別の環境へ復元して確認する。',
      '事故の疑いがある場合は、直ちにサービスデスクへ電話又は窓口で報告する。',
      '顧客情報を含む紙の記録は、不要になった時点で細断する。',
      '来訪者は受付で記帳し、入館証を着用し、常に社員が同行する。',
      '本番環境の変更は、実施前に変更管理委員会の承認を得る。',
      '従業員は毎年の教育を受講し、最後に確認テストを受ける。',
      '委託先には、社内情報を渡す前に秘密保持契約を締結させる。',
      '所管部門は、少なくとも年一回及び大きな変更があった場合にこの規程を見直す。',
      'この規程に違反した場合は、就業規則に基づき処分することがある。',
    ],
    table: ['| 役割 | 責任 |', '| --- | --- |', '| 所管部門 | 規程を最新に保つ |', '| 部門長 | 部門内で運用する |', '| 従業員 | 日常業務で遵守する |'],
  },
};

/**
 * One policy of ordinary prose as public policy sets are written: a title, numbered sections,
 * paragraphs, bullet lists and a table, and (rarely) one control id in a reference section.
 * @param {{ lines: number, lang: 'ja' | 'en', seed: number }} options
 */
export function generatePlainPolicy({ lines, lang, seed }) {
  const r = rng(seed);
  const v = PLAIN[lang];
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const out = [`# ${pick(v.titles)}`, ''];
  let n = 0;
  while (out.length < lines) {
    n++;
    out.push(lang === 'ja' ? `## 第${n}条 ${pick(v.sections)}` : `## ${n}. ${pick(v.sections)}`, '');
    const shape = r();
    if (shape < 0.4) out.push(pick(v.sentences) + (lang === 'ja' ? '' : ' ') + pick(v.sentences), '');
    else if (shape < 0.8) {
      out.push(pick(v.sentences), '');
      for (let k = 0; k < 3 + Math.floor(r() * 4); k++) out.push(`- ${pick(v.sentences)}`);
      out.push('');
    } else out.push(...v.table, '');
    if (r() < 0.02) out.push(lang === 'ja' ? '参考: JT-X1051 9.1.1' : 'Reference: ISO/IEC 27011 9.1.1', '');
  }
  return out.join('\n');
}

/**
 * Writes a corpus of `docs` ordinary policies without citations (half Japanese, half English,
 * 30–120 lines each) under `dir`, without a `.x1051.yaml`: the second peer corpus, close to the
 * public policy sets x1051 meets first (mostly unclaimed text).
 * @param {string} dir
 * @param {{ docs: number, seed?: number }} options
 */
export function generatePlainCorpus(dir, { docs, seed = 13 }) {
  const r = rng(seed);
  const paths = [];
  for (let i = 0; i < docs; i++) {
    const lang = i % 2 === 0 ? 'ja' : 'en';
    const sub = join(dir, ['policies', 'standards', 'procedures', 'guidelines'][i % 4], lang);
    mkdirSync(sub, { recursive: true });
    const file = join(sub, `doc-${String(i).padStart(4, '0')}.md`);
    writeFileSync(file, generatePlainPolicy({ lines: 30 + Math.floor(r() * 91), lang, seed: seed * 100003 + i }) + '\n');
    paths.push(file);
  }
  return paths;
}

// `node bench/generate.mjs <lines> [ja|en|mixed]` prints one policy (to look at what is benchmarked).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lines = Number(process.argv[2] ?? 200);
  process.stdout.write(generatePolicy({ lines, lang: process.argv[3] ?? 'mixed', catalog: loadGeneratorCatalog() }));
}
