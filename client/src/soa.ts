/**
 * Statement of Applicability export: one row per catalogue control with the applicability
 * decision, its justification, how far the policies address it and where.
 *
 * Pure (no `vscode` import) so the escaping is testable directly. Everything an author wrote
 * (justifications, file names) is escaped for the target format: Markdown table cells cannot break
 * the table or inject HTML, CSV cells are quoted and cannot start a spreadsheet formula.
 */

/** One row of the statement. */
export interface SoaRow {
  id: string;
  title: string;
  /** 'yes' | 'no' | '' (no decision recorded). */
  applicable: 'yes' | 'no' | '';
  justification: string;
  status: string;
  addressed: number;
  total: number;
  /** "policies/secrecy.md:12" for each claiming heading. */
  where: string[];
  /** Documents claiming the control, and how many of them leave some of its items missing. */
  claimingDocuments?: number;
  documentsWithGaps?: number;
}

/** A document of the policy set with its front-matter metadata (owner, version, review). */
export interface SoaDocument {
  path: string;
  owner?: string;
  version?: string;
  approvedBy?: string;
  approved?: string;
  nextReview?: string;
  reviewOverdue?: boolean;
}

/** Headers of the documents table (Markdown export), and the note for an overdue review. */
export interface SoaDocumentHeaders {
  title: string;
  path: string;
  owner: string;
  version: string;
  approvedBy: string;
  approved: string;
  nextReview: string;
  overdue: string;
}

/** Export formats. */
export type SoaFormat = 'markdown' | 'csv' | 'json';

/** Localised column headers, in the order of the columns. */
export interface SoaHeaders {
  id: string;
  title: string;
  applicable: string;
  justification: string;
  status: string;
  items: string;
  where: string;
}

/** Escapes text for one Markdown table cell: no line breaks, pipes, HTML or link syntax survive. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .trim();
}

/**
 * Escapes one CSV field (RFC 4180): quotes doubled and the field quoted when it holds a comma,
 * quote or line break. A leading `=`, `+`, `-`, `@`, tab or carriage return is prefixed with an
 * apostrophe so spreadsheets show the text instead of evaluating it as a formula.
 */
export function escapeCsvField(text: string): string {
  let value = text;
  if (/^[=+\-@\t\r]/.test(value)) value = `'${value}`;
  if (/[",\r\n]/.test(value) || value !== value.trim()) value = `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** Renders the statement in the chosen format. */
export function renderSoa(
  rows: SoaRow[],
  format: SoaFormat,
  headers: SoaHeaders,
  heading: string,
  documents?: { list: SoaDocument[]; headers: SoaDocumentHeaders },
): string {
  switch (format) {
    case 'json':
      return JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          title: r.title,
          applicable: r.applicable === '' ? null : r.applicable === 'yes',
          justification: r.justification || null,
          status: r.status,
          addressed: r.addressed,
          total: r.total,
          where: r.where,
          claimingDocuments: r.claimingDocuments ?? r.where.length,
          documentsWithGaps: r.documentsWithGaps ?? 0,
        })),
        null,
        2,
      ) + '\n';
    case 'csv': {
      const head = [headers.id, headers.title, headers.applicable, headers.justification, headers.status, headers.items, headers.where];
      const lines = [head.map(escapeCsvField).join(',')];
      for (const r of rows) {
        lines.push(
          [r.id, r.title, r.applicable, r.justification, r.status, items(r), r.where.join('; ')].map(escapeCsvField).join(','),
        );
      }
      // CRLF per RFC 4180; a BOM so spreadsheet programs read the Japanese text as UTF-8.
      return '\ufeff' + lines.join('\r\n') + '\r\n';
    }
    case 'markdown': {
      const head = [headers.id, headers.title, headers.applicable, headers.justification, headers.status, headers.items, headers.where];
      const lines = [`# ${escapeMarkdownCell(heading)}`, '', `| ${head.map(escapeMarkdownCell).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
      for (const r of rows) {
        const cells = [r.id, r.title, r.applicable, r.justification, r.status, items(r), r.where.join(', ')];
        lines.push(`| ${cells.map(escapeMarkdownCell).join(' | ')} |`);
      }
      // The documents with their owner, version and review date, when any document carries them.
      if (documents && documents.list.some((d) => d.owner || d.version || d.nextReview || d.approved)) {
        const h = documents.headers;
        const dh = [h.path, h.owner, h.version, h.approvedBy, h.approved, h.nextReview];
        lines.push('', `## ${escapeMarkdownCell(h.title)}`, '', `| ${dh.map(escapeMarkdownCell).join(' | ')} |`, `|${dh.map(() => ' --- ').join('|')}|`);
        for (const d of documents.list) {
          const review = d.nextReview ? `${d.nextReview}${d.reviewOverdue ? ` ${h.overdue}` : ''}` : '';
          const cells = [d.path, d.owner ?? '', d.version ?? '', d.approvedBy ?? '', d.approved ?? '', review];
          lines.push(`| ${cells.map(escapeMarkdownCell).join(' | ')} |`);
        }
      }
      return lines.join('\n') + '\n';
    }
  }
}

function items(r: SoaRow): string {
  return r.total > 0 ? `${r.addressed}/${r.total}` : '';
}
