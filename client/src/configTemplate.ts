/**
 * The commented `.x1051.yaml` that Create Configuration writes: every Annex A (TEL) control
 * declared applicable, grouped by clause with its title, so the applicability decision is made by
 * turning the controls not implemented into `{ status: excluded, justification: … }`. The format
 * is the one `server/src/service/config.ts` parses. Pure, so the output is testable directly.
 */
import type { Catalog } from '../../catalog/src/types';
import { type Lang, pick } from './catalog';

const words = {
  ja: {
    header: [
      '# x1051 の設定ファイル。CLI と言語サーバーは、ポリシーファイルから見て最も近い上位の .x1051.yaml を読みます。',
      '',
      '# ホバーとメッセージの言語: auto（文書ごとの言語に従う）、ja、en。',
    ],
    applicability: [
      '# 適用宣言: 下の一覧は附属書 A のすべての電気通信管理策（TEL）で、すべて applicable（適用）としています。',
      '# 実施しない管理策は、理由とともに excluded（適用除外）に書き換えてください。例:',
      '#   TEL.11.3.2: { status: excluded, justification: 顧客の構内に自社の装置を設置しない。 }',
      '# applicable の管理策をどの見出しも引用していなければ、未対応として報告されます。',
      '# 項目単位の適用外は notApplicable に理由とともに書きます（例: notApplicable: { "TEL.18.1.6[2](g)": 発信者番号通知サービスを提供しない。 }）。',
      '# 電気通信設備を持たない IT・SaaS 部門は profile: it-service を使えます（プロファイルが除外する管理策は下の一覧から消してください。applicable と書いた管理策はプロファイルより優先されます）。',
    ],
  },
  en: {
    header: [
      '# x1051 configuration. The CLI and the language server read the nearest .x1051.yaml above a policy file.',
      '',
      '# Language of hovers and messages: auto (follow each document), ja or en.',
    ],
    applicability: [
      '# Statement of applicability: below is every telecom control of Annex A (TEL), all declared',
      '# applicable. Turn the ones you do not implement into exclusions with a justification, e.g.',
      '#   TEL.11.3.2: { status: excluded, justification: We install no equipment on customer premises. }',
      '# An applicable control that no heading claims is reported as uncovered.',
      '# Items that do not apply go under notApplicable, each with a justification, e.g.',
      '#   notApplicable: { "TEL.18.1.6[2](g)": We offer no caller ID service. }',
      '# An IT or SaaS unit without telecom facilities can use profile: it-service (remove the controls the',
      '# profile excludes from the list below: a control written as applicable overrides the profile).',
    ],
  },
} as const;

/** Renders the configuration file, comments in `lang`, titles in both languages. */
export function configurationTemplate(catalog: Catalog, lang: Lang): string {
  const w = words[lang];
  const lines: string[] = [...w.header, 'language: auto', '', ...w.applicability, 'applicability:'];
  let clause: string | undefined;
  const clauses = new Map(catalog.clauses.map((c) => [c.id, c]));
  const tel = catalog.controls.filter((c) => c.kind === 'tel');
  const width = tel.reduce((w, c) => Math.max(w, c.id.length), 0);
  for (const control of tel) {
    if (control.clause !== clause) {
      clause = control.clause;
      const title = pick(clauses.get(clause)?.title, lang);
      lines.push(`  # ${clause}${title ? ` ${oneLine(title)}` : ''}`);
    }
    const title = [control.title.ja, control.title.en].filter(Boolean).map(oneLine).join(' / ');
    lines.push(`  ${`${control.id}:`.padEnd(width + 1)} applicable  # ${title}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Titles go into YAML comments: a line break there would end the comment. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
