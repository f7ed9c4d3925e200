/**
 * Catalogue helpers for tests:
 * - `sourceFixture()`: a small set of source files (the shape of `catalog/data/*.yaml`) covering
 *   every kind of entry, for compile, query and render tests that must not depend on the real data;
 * - `fixtureIndex()`: that fixture compiled and indexed;
 * - `realBuild()` / `realIndex()`: the real `catalog/data` read, validated and compiled in memory
 *   (no `npm run build` needed), cached per test run.
 */
import * as path from 'node:path';
import { buildCatalog, formatBuildError, formatProblem, type BuildResult } from '../../catalog/src/build';
import { compileCatalog } from '../../catalog/src/compile';
import { CatalogIndex } from '../../catalog/src/query';
import type { SourceFile, SourceItem, Text } from '../../catalog/src/types';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The directory of the real catalogue source files. */
export const DATA_DIR = path.join(REPO_ROOT, 'catalog', 'data');

const t = (ja: string, en: string): Text => ({ ja, en });

/** A fixture item with the given label and text, its subject the text, one term per language. */
function item(label: string, ja: string, en: string, extra: Partial<SourceItem> = {}): SourceItem {
  return { label, ja, en, subject: t(ja, en), terms: { ja: [ja], en: [en] }, ...extra };
}

/**
 * A small but complete set of source files. Deep-copied on every call, so tests may mutate it to
 * provoke problems.
 */
export function sourceFixture(): { path: string; data: SourceFile }[] {
  const iso: SourceFile = {
    entries: [
      {
        kind: 'iso-index',
        clauses: [
          {
            id: '12',
            title: t('運用のセキュリティ', 'Operations security'),
            objectives: [
              {
                id: '12.4',
                title: t('ログ取得及び監視', 'Logging and monitoring'),
                controls: [
                  { id: '12.4.1', title: t('イベントログ取得', 'Event logging') },
                  { id: '12.4.2', title: t('ログ情報の保護', 'Protection of log information') },
                ],
              },
            ],
          },
          {
            id: '18',
            title: t('順守', 'Compliance'),
            objectives: [
              {
                id: '18.1',
                title: t('法的及び契約上の要求事項の順守', 'Compliance with legal and contractual requirements'),
                controls: [{ id: '18.1.1', title: t('適用法令及び契約上の要求事項の特定', 'Identification of applicable legislation and contractual requirements') }],
              },
            ],
          },
        ],
      },
    ],
  };
  const main: SourceFile = {
    entries: [
      { kind: 'objective', id: '12.4', title: t('ログ取得及び監視', 'Logging and monitoring'), objective: t('イベントを記録し、証拠を作成するため。', 'To record events and generate evidence.'), source: { clause: '12.4', line: 10 } },
      {
        kind: 'control',
        id: '12.4.1',
        controlKind: 'iso-telecom',
        title: t('イベントログ取得', 'Event logging'),
        control: t('イベントログを取得することが望ましい。', 'Event logs should be produced.'),
        guidance: [{ p: t('ISO/IEC 27002 12.4.1の実施の手引きを適用する。', 'The guidance of ISO/IEC 27002 12.4.1 applies.') }],
        telecomGuidance: [{ p: t('電気通信事業者は、ログを保存することが望ましい。ログは改ざんから保護することが望ましい。', 'Keep logs. Protect logs from tampering.') }],
        lists: [
          {
            list: 1,
            level: 'recommended',
            rationale: 'Telecom guidance of clauses 5–18 is recommended.',
            synthesised: true,
            items: [
              item('1.', '電気通信事業者は、ログを保存することが望ましい。', 'Keep logs.'),
              item('2.', 'ログは改ざんから保護することが望ましい。', 'Protect logs from tampering.'),
            ],
          },
        ],
        source: { clause: '12.4.1', line: 12 },
      },
    ],
    errata: [{ id: '12.4.1', found: 'ロク', corrected: 'ログ', reason: 'Fixture erratum.' }],
  };
  const annexA: SourceFile = {
    entries: [
      { kind: 'clause', id: 'TEL.13', title: t('通信のセキュリティ', 'Communications security'), source: { clause: 'TEL.13', annex: 'A' } },
      { kind: 'objective', id: 'TEL.13.1', title: t('ネットワークセキュリティ管理', 'Network security management'), source: { clause: 'TEL.13.1', annex: 'A' } },
      {
        kind: 'control',
        id: 'TEL.13.1.4',
        controlKind: 'tel',
        title: t('電気通信サービス提供におけるセキュリティ管理', 'Security management of telecommunication services delivery'),
        control: t('管理することが望ましい。', 'Should be managed.'),
        guidance: [{ p: t('次を含めることが望ましい。', 'Should include the following.') }, { list: 1 }],
        lists: [
          {
            list: 1,
            level: 'recommended',
            rationale: 'Fixture.',
            items: [
              item('a)', '物理的保護', 'physical protection'),
              item('e)', '迷惑通信に対する管理策', 'controls against unwanted communications', {
                level: 'informative',
                items: [item('1)', 'スパム対策', 'spam controls'), item('2)', 'DoS攻撃対策', 'DoS controls'), item('4)', '不正アクセス対策', 'unauthorised access controls')],
              }),
            ],
          },
        ],
        source: { clause: 'TEL.13.1.4', annex: 'A', line: 2064 },
      },
      { kind: 'clause', id: 'TEL.18', title: t('順守', 'Compliance'), source: { clause: 'TEL.18', annex: 'A' } },
      { kind: 'objective', id: 'TEL.18.1', title: t('法的及び契約上の要求事項の順守', 'Compliance with legal and contractual requirements'), objective: t('違反を避けるため。', 'To avoid breaches.'), source: { clause: 'TEL.18.1', annex: 'A' } },
      {
        kind: 'control',
        id: 'TEL.18.1.6',
        controlKind: 'tel',
        title: t('通信の秘密保持', 'Secrecy of communications'),
        control: t('通信の秘密が確保されることが望ましい。', 'The secrecy of communications should be ensured.'),
        guidance: [
          { p: t('以下の非開示事項を考慮することが望ましい。', 'Consider the following.') },
          { list: 1 },
          { p: t('次の指針を考慮することが望ましい。', 'Consider these guidelines.') },
          { list: 2 },
        ],
        lists: [
          {
            list: 1,
            name: t('非開示事項', 'non-disclosure element'),
            level: 'required',
            rationale: 'Fixture.',
            items: [item('a)', '通信の存在', 'existence'), item('b)', '通信の内容', 'content'), item('e)', '通信の日時情報', 'date and time')],
          },
          {
            list: 2,
            name: t('指針', 'guideline'),
            level: 'recommended',
            rationale: 'Fixture.',
            items: [item('a)', '設備を維持すること。', 'Maintain facilities.'), item('i)', '電話帳への記載を選択できるようにすること。', 'Let users choose directory listing.')],
          },
        ],
        source: { clause: 'TEL.18.1.6', annex: 'A', line: 2233 },
      },
    ],
  };
  const annexB: SourceFile = {
    entries: [
      { kind: 'annex-b', id: 'B.1', title: t('ネットワークの保護', 'Network protection'), source: { clause: 'B.1', annex: 'B' } },
      {
        kind: 'annex-b',
        id: 'B.1.1',
        title: t('ネットワークの区分', 'Network segmentation'),
        body: [{ p: t('次を考慮する。', 'Consider the following.') }, { list: 1 }],
        lists: [{ list: 1, level: 'informative', rationale: 'Annex B is informative.', items: [item('a)', '区分すること。', 'Segment.')] }],
        source: { clause: 'B.1.1', annex: 'B' },
      },
    ],
  };
  const defs: SourceFile = {
    entries: [
      { kind: 'definition', id: '3.2.1', term: t('通信の秘密', 'secrecy of communications'), text: t('通信の内容等を保護すること。', 'Protection of communications.'), notes: [t('日本では別に定める。', 'Defined elsewhere in Japan.')], source: { clause: '3.2.1' } },
      { kind: 'abbreviation', abbr: 'DoS', expansion: 'Denial of Service', text: t('サービス妨害', 'Denial of service'), source: { clause: '4' } },
    ],
  };
  return structuredClone([
    { path: 'fixture/iso27002.yaml', data: iso },
    { path: 'fixture/main.yaml', data: main },
    { path: 'fixture/annex-a.yaml', data: annexA },
    { path: 'fixture/annex-b.yaml', data: annexB },
    { path: 'fixture/defs.yaml', data: defs },
  ]);
}

/** The fixture compiled and indexed; fails loudly if the fixture itself has problems. */
export function fixtureIndex(): CatalogIndex {
  const { catalog, problems } = compileCatalog(sourceFixture());
  if (problems.length > 0) throw new Error(`fixture problems: ${JSON.stringify(problems)}`);
  return new CatalogIndex(catalog);
}

let realResult: BuildResult | undefined;

/** The real `catalog/data` built in memory (validated and compiled), cached per run. */
export function realBuild(): BuildResult {
  realResult ??= buildCatalog(DATA_DIR, REPO_ROOT);
  return realResult;
}

/** The real catalogue indexed; throws with every schema error and problem when the build fails. */
export function realIndex(): CatalogIndex {
  const r = realBuild();
  if (!r.catalog) {
    const lines = [...r.errors.map(formatBuildError), ...r.problems.map(formatProblem)];
    throw new Error(`catalog/data does not build:\n${lines.slice(0, 30).join('\n')}${lines.length > 30 ? `\n… ${lines.length - 30} more` : ''}`);
  }
  return new CatalogIndex(r.catalog);
}
