/**
 * A small, stable in-memory catalogue for unit tests, so service tests do not depend on the
 * catalogue data while it is being written. It holds:
 * - TEL.18.1.6 (secrecy of communications) with both of its lists, the standard's item texts and
 *   plausible evidence terms (list 1 required, list 2 recommended);
 * - TEL.18.1.7 (priority communications) with a few of its items (informative), for did-you-mean
 *   and topic tests;
 * - 12.4.1 (event logging), an ISO control with telecom guidance and two synthesised items;
 * - 12.4.2, an ISO control applied as-is (no items).
 */
import type { Catalog, Control, Item, ItemLevel, Text } from '../../catalog/src/types';
import { CatalogIndex } from '../../catalog/src/query';

type ItemSpec = [label: string, ja: string, en: string, subject: Text, termsJa: string[], termsEn: string[]];

function items(control: string, list: number, level: ItemLevel, specs: ItemSpec[], line: number, listName?: Text): Item[] {
  return specs.map(([label, ja, en, subject, termsJa, termsEn]) => {
    const bare = label.replace(/[).]$/u, '');
    return {
      id: `${control}${list > 1 ? `[${list}]` : ''}(${bare})`,
      control,
      list,
      label,
      ...(listName ? { listName } : {}),
      level,
      text: { ja, en },
      subject,
      terms: { ja: termsJa, en: termsEn },
      source: { clause: control, annex: control.startsWith('TEL.') ? ('A' as const) : undefined, line, list },
    };
  });
}

const tel1816List1 = items('TEL.18.1.6', 1, 'required', [
  ['a)', '通信の存在', 'the existence of the communication', { ja: '通信の存在', en: 'existence of the communication' },
    ['通信の存在', '通信の有無', '通信の事実'], ['existence of communication', 'existence of the communication', 'fact that a communication took place']],
  ['b)', '通信の内容', 'the content of the communication', { ja: '通信の内容', en: 'content of the communication' },
    ['通信の内容', '通信内容'], ['content of communication', 'content of the communication', 'communication content']],
  ['c)', '通信の発信元（送信元）', 'the origin (sender) of the communication', { ja: '通信の発信元', en: 'origin of the communication' },
    ['発信元', '送信元', '発信者'], ['origin of the communication', 'originator', 'sender', 'calling party']],
  ['d)', '通信の着信先（宛先）', 'the destination (recipient) of the communication', { ja: '通信の着信先', en: 'destination of the communication' },
    ['着信先', '宛先', '受信者'], ['destination of the communication', 'destination', 'recipient', 'called party']],
  ['e)', '通信の日時情報', 'the date and time of the communication', { ja: '通信の日時', en: 'date and time of the communication' },
    ['通信の日時', '日時情報', '通信日時'], ['date and time', 'time of the communication', 'timestamp']],
], 2259, { ja: '非開示事項', en: 'non-disclosure element' });

const tel1816List2 = items('TEL.18.1.6', 2, 'recommended', [
  ['a)', '通信の秘密が侵されないように、電気通信設備を適切に維持すること。', 'Maintain telecommunication facilities properly so that the secrecy of communications is not infringed.',
    { ja: '電気通信設備の適切な維持', en: 'proper maintenance of facilities' }, ['電気通信設備 + 維持', '設備 + 保守'], ['maintain + facility', 'maintenance + facility']],
  ['b)', '電気通信設備は、電気通信サービス利用者の端末設備と電気通信回路との接続点において、他の通信の内容が通常の利用において意図せず開示されることを防ぐための必要な措置を講じること。',
    'At the connection point between the user\'s terminal equipment and the circuit, take the measures needed to prevent the content of other communications from being disclosed unintentionally in normal use.',
    { ja: '接続点での他の通信の内容の開示防止', en: 'preventing disclosure of other communications at the connection point' }, ['接続点 + 開示', '他の通信 + 開示'], ['connection point + disclose', 'other communications + disclose']],
  ['c)', '電気通信設備に保存された電気通信サービス利用者の記録とデータへの許可のないアクセス、又は破壊や改ざんを防止するため、必要な措置を講じること。',
    'Take the measures needed to prevent unauthorised access to, or destruction or alteration of, users\' records and data stored in the facilities.',
    { ja: '利用者の記録への不正アクセス・改ざんの防止', en: 'protection of stored user records' }, ['記録 + 不正アクセス', '記録 + 改ざん', 'データ + 改ざん'], ['record + unauthorised access', 'record + unauthorized access', 'record + tamper']],
  ['d)', '顧客の通信に関わるいかなる情報へも、電気通信事業者の職員が許可なく、又は違法に利用することを禁止すること。', 'Prohibit staff from using any information about customers\' communications without authorisation or unlawfully.',
    { ja: '職員による無断利用の禁止', en: 'prohibition of unauthorised use by staff' }, ['職員 + 無断', '職員 + 許可なく', '従業員 + 目的外'], ['staff + without authorisation', 'employee + without authorization', 'staff + unauthorised']],
  ['e)', '通信データは、保存する目的に必要な範囲内で保存期間を定め、保存期間経過後又は目的を達成した後は、遅滞なく消去すること。', 'Set retention periods for communication data within what the purpose requires, and erase the data without delay after the period or once the purpose is achieved.',
    { ja: '通信データの保存期間と消去', en: 'retention and erasure of communication data' }, ['保存期間', '遅滞なく消去'], ['retention period', 'erase + without delay', 'delete + without delay']],
  ['f)', '法的執行又は電気通信サービス利用者自身の同意がある場合を除いては、通信の秘密に属する事項の第三者への提供を禁止すること。', 'Except under legal enforcement or with the user\'s own consent, prohibit providing matters belonging to the secrecy of communications to third parties.',
    { ja: '第三者提供の禁止', en: 'no disclosure to third parties' }, ['第三者 + 提供', '第三者 + 開示'], ['third party + disclose', 'third party + provide']],
  ['g)', '発信者番号通知サービスを提供する場合には、電気通信サービス利用者がケースバイケースで、発信者番号の通知の有無を決定できる機能を設けること。', 'When offering caller ID, let users decide case by case whether their number is shown.',
    { ja: '発信者番号通知の選択', en: 'caller ID choice' }, ['発信者番号通知', '番号通知 + 選択'], ['caller id', 'calling line identification']],
  ['h)', '法的執行又は電気通信サービス利用者自身の同意がある場合を除いては、発信者番号の第三者への提供を禁止すること。', 'Except under legal enforcement or with the user\'s own consent, prohibit providing the caller\'s number to third parties.',
    { ja: '発信者番号の第三者提供の禁止', en: 'no disclosure of caller numbers' }, ['発信者番号 + 第三者'], ['caller number + third party', 'calling number + third party']],
  ['i)', '電話番号案内サービスを提供する場合は、電気通信サービス加入者に対し、電話番号又は他のサービスに関連するIDを電話帳に記載するかどうかの選択をできるようにすること。利用者が電話番号の記載をしないことを求める場合には、電気通信事業者は遅滞なく当該利用者の情報を電話番号案内サービスの対象から除外すること。',
    'When offering directory enquiries, let subscribers choose whether their number or other service ids are listed, and remove them without delay when they ask not to be listed.',
    { ja: '電話帳掲載の選択', en: 'directory listing choice' }, ['電話番号案内', '電話帳 + 掲載', '電話帳 + 記載'], ['directory enquiries', 'directory assistance', 'telephone directory']],
  ['j)', '電気通信事業者は、法執行機関やその他の捜査機関から、通信の秘密に属する事項を含む電気通信サービス利用者に係る情報の提供を求められた場合には、国の法規制に適合した手続きに従った要請であることを確認すること。',
    'When law enforcement or other investigative bodies request user information including matters of the secrecy of communications, confirm that the request follows the procedures of national law.',
    { ja: '捜査機関からの要請の確認', en: 'verification of law-enforcement requests' }, ['捜査機関', '法執行機関', '令状'], ['law enforcement', 'investigative', 'warrant']],
], 2277, { ja: '指針', en: 'guideline' });

const tel1817 = items('TEL.18.1.7', 1, 'informative', [
  ['a)', '気象機関', 'meteorological agencies', { ja: '気象機関', en: 'meteorological agencies' }, ['気象機関'], ['meteorological']],
  ['b)', '水防機関', 'flood-control agencies', { ja: '水防機関', en: 'flood-control agencies' }, ['水防機関'], ['flood control']],
  ['c)', '消防救助機関', 'fire and rescue agencies', { ja: '消防救助機関', en: 'fire and rescue agencies' }, ['消防'], ['fire and rescue', 'fire brigade']],
], 2320);

const iso1241 = items('12.4.1', 1, 'recommended', [
  ['1.', '電気通信用データの保存のための適切な保存期間を設定すること。', 'Set appropriate retention periods for telecommunication data.',
    { ja: '電気通信用データの保存期間', en: 'retention periods of telecom data' }, ['保存期間'], ['retention period']],
  ['2.', '保存期間経過後又は利用目的を達成した後には、当該データを遅滞なく消去すること。', 'Erase the data without delay after the retention period or once its purpose is achieved.',
    { ja: '保存期間経過後の消去', en: 'erasure after the retention period' }, ['遅滞なく消去', 'ログ + 消去'], ['erase + without delay', 'delete + without delay', 'log + delet']],
], 1160);

const controls: Control[] = [
  {
    id: '12.4.1', kind: 'iso-telecom', clause: '12', objective: '12.4',
    title: { ja: 'イベントログ取得', en: 'Event logging' },
    lists: [{ list: 1, level: 'recommended', rationale: 'Telecom guidance says 望ましい.', synthesised: true }],
    items: iso1241, source: { clause: '12.4.1', line: 1150 },
  },
  {
    id: '12.4.2', kind: 'iso-as-is', clause: '12', objective: '12.4',
    title: { ja: 'ログ情報の保護', en: 'Protection of log information' },
    applies: { ja: 'ISO/IEC 27002 12.4.2の管理策及び内容を適用する。', en: 'ISO/IEC 27002 12.4.2 applies with its control and content.' },
    lists: [], items: [], source: { clause: '12.4.2', line: 1169 },
  },
  {
    id: 'TEL.18.1.6', kind: 'tel', clause: 'TEL.18', objective: 'TEL.18.1',
    title: { ja: '通信の秘密保持', en: 'Secrecy of communications' },
    control: { ja: '電気通信事業者によって取扱われる通信の秘密が確保されることが望ましい。', en: 'The secrecy of communications handled by the telecommunication organization should be ensured.' },
    lists: [
      { list: 1, level: 'required', name: { ja: '非開示事項', en: 'non-disclosure element' }, rationale: 'The non-disclosure matters define what secrecy protects.', synthesised: false },
      { list: 2, level: 'recommended', name: { ja: '指針', en: 'guideline' }, rationale: 'Guidelines to consider (望ましい).', synthesised: false },
    ],
    items: [...tel1816List1, ...tel1816List2], source: { clause: 'TEL.18.1.6', annex: 'A', line: 2233 },
  },
  {
    id: 'TEL.18.1.7', kind: 'tel', clause: 'TEL.18', objective: 'TEL.18.1',
    title: { ja: '重要通信', en: 'Priority communications' },
    lists: [{ list: 1, level: 'informative', rationale: 'Examples of organizations.', synthesised: false }],
    items: tel1817, source: { clause: 'TEL.18.1.7', annex: 'A', line: 2300 },
  },
];

/** Builds a fresh fixture catalogue (a new object each call, so tests may not leak changes). */
export function fixtureCatalog(): Catalog {
  return {
    meta: { standard: 'ITU-T X.1051 (fixture)', edition: '2016', translation: 'fixture', errata: [] },
    clauses: [
      { id: '12', title: { ja: '運用のセキュリティ', en: 'Operations security' }, objectives: ['12.4'], source: { clause: '12', line: 1039 } },
      { id: 'TEL.18', title: { ja: '順守', en: 'Compliance' }, annex: 'A', objectives: ['TEL.18.1'], source: { clause: 'TEL.18', annex: 'A', line: 2225 } },
    ],
    objectives: [
      { id: '12.4', clause: '12', title: { ja: 'ログ取得および監視', en: 'Logging and monitoring' }, asIs: false, controls: ['12.4.1', '12.4.2'], source: { clause: '12.4', line: 1146 } },
      { id: 'TEL.18.1', clause: 'TEL.18', title: { ja: '法的及び契約上の要求事項の順守', en: 'Compliance with legal and contractual requirements' }, asIs: false, controls: ['TEL.18.1.6', 'TEL.18.1.7'], source: { clause: 'TEL.18.1', annex: 'A', line: 2227 } },
    ],
    controls: structuredClone(controls),
    annexB: [],
    definitions: [],
    abbreviations: [],
  };
}

/** The fixture catalogue behind a `CatalogIndex`, as the service takes it. */
export function fixtureIndex(): CatalogIndex {
  return new CatalogIndex(fixtureCatalog());
}
