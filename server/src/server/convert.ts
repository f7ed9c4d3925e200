/**
 * Conversions from the service's results to LSP types (diagnostics, completion items).
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { docsUrl, type CompletionEntry, type Finding } from '../service';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Converts a finding to an LSP diagnostic: code, source, documentation link, data for fixes. */
export function toDiagnostic(f: Finding, uri?: string): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'x1051',
    codeDescription: { href: docsUrl(f.code) },
    message: f.message,
    data: { control: f.control, item: f.item, ...(Array.isArray(f.data?.items) ? { items: f.data.items } : {}) },
  };
  // Details of a folded finding (one per item), where the document's uri is known.
  if (uri && f.related && f.related.length > 0) d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return d;
}

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  control: CompletionItemKind.Reference,
  item: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

/** Converts a service completion entry to an LSP completion item. */
export function toCompletionItem(e: CompletionEntry): CompletionItem {
  return {
    label: e.label,
    kind: COMPLETION_KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    filterText: e.filterText,
    sortText: e.sortText,
    textEdit: e.textEdit,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    data: e.data,
  };
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
