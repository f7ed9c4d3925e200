/**
 * Conversions from the service's results to LSP types, shaped by what the client declared:
 * Markdown only to clients that list `markdown` (plain text otherwise), `codeDescription` and
 * `data` on diagnostics only when the client supports them.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type ClientCapabilities,
  type CompletionItem,
  type Diagnostic,
  type MarkupContent,
} from 'vscode-languageserver/node';
import { docsUrl, type CompletionEntry, type Finding } from '../service';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Converts a finding to an LSP diagnostic: code, source, message, and, where the client supports
 * them, the documentation link, data for fixes and the related information of a folded finding.
 */
export function toDiagnostic(f: Finding, client: ClientCapabilities, uri?: string): Diagnostic {
  const publish = client.textDocument?.publishDiagnostics;
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'x1051',
    message: f.message,
  };
  if (publish?.codeDescriptionSupport) d.codeDescription = { href: docsUrl(f.code) };
  if (publish?.dataSupport) d.data = { control: f.control, item: f.item, ...(Array.isArray(f.data?.items) ? { items: f.data.items } : {}) };
  // Details of a folded finding (one per item), where the document's uri is known.
  if (publish?.relatedInformation && uri && f.related && f.related.length > 0) d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return d;
}

/** Markdown as the client can show it: as is when `formats` lists markdown, else as plain text. */
export function markup(value: string, formats: readonly string[] | undefined): MarkupContent {
  return formats?.includes(MarkupKind.Markdown) ? { kind: MarkupKind.Markdown, value } : { kind: MarkupKind.PlainText, value: markdownToPlainText(value) };
}

/**
 * The plain-text reading of the Markdown x1051 renders (headings, emphasis, code spans, links,
 * escapes, comments): the markup characters go, the words and the list structure stay.
 */
export function markdownToPlainText(md: string): string {
  return md
    .replace(/<!--[\s\S]*?-->/g, '')
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)#{1,6}\s+/, '$1')
        .replace(/^(\s*)>\s?/, '$1')
        .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, t: string, u: string) => (/^https?:/.test(u) ? `${t} <${u}>` : t))
        .replace(/`([^`]*)`/g, '$1')
        .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
        .replace(/(^|[\s(（])[*_](?=\S)([^*_\n]*?\S)[*_](?=$|[\s.,;:!?)）、。])/g, '$1$2')
        .replace(/\\([\\`*_[\]{}()<>#+\-.!|])/g, '$1'),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  control: CompletionItemKind.Reference,
  item: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

/** Converts a service completion entry to an LSP completion item. */
export function toCompletionItem(e: CompletionEntry, client: ClientCapabilities): CompletionItem {
  return {
    label: e.label,
    kind: COMPLETION_KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? completionDocumentation(e.documentation, client) : undefined,
    filterText: e.filterText,
    sortText: e.sortText,
    textEdit: e.textEdit,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    data: e.data,
  };
}

/** A completion item's documentation in the format the client declared. */
export function completionDocumentation(md: string, client: ClientCapabilities): MarkupContent {
  return markup(md, client.textDocument?.completion?.completionItem?.documentationFormat);
}

/** True when a client's diagnostic is the one this finding produced. */
export function sameDiagnostic(d: Diagnostic, f: Finding): boolean {
  return (
    d.code === f.code &&
    d.range.start.line === f.range.start.line &&
    d.range.start.character === f.range.start.character &&
    d.range.end.line === f.range.end.line &&
    d.range.end.character === f.range.end.character &&
    d.message === f.message
  );
}
