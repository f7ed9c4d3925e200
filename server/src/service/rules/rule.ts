/**
 * The shape of a diagnostic rule. Rules are data: a stable code, a description in both
 * languages, a default severity, tags, the documentation page, and (for document rules) the
 * check. They are listed in one explicit registry (`index.ts`).
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import type { ResolvedConfig } from '../config';
import type { DocumentModel } from '../document';
import type { Finding, Lang, RuleCode, Severity } from '../types';
import type { Text } from '../../../../catalog/src/types';

/** Where the project's documentation lives; each rule's page is `docs/rules/<code>.md` there. */
export const DOCS_BASE = 'https://github.com/x1051/x1051/blob/main/docs/rules/';

/** What a document rule's check receives. */
export interface RuleContext {
  model: DocumentModel;
  catalog: CatalogIndex;
  config: ResolvedConfig;
  /** Language of messages for this document. */
  lang: Lang;
  /** Reports a finding; `severity` defaults to the rule's default severity. */
  report(finding: Omit<Finding, 'code' | 'severity'> & { severity?: Severity }): void;
  /**
   * `compute(text)` for a block's or a heading's text, taken from the rule's previous run over
   * this document when that text was there too (the server keeps them for the documents being
   * edited). `kind` names what is computed, with any configuration it reads; the result must
   * depend on nothing else, and is shared: never change it.
   */
  memo<T>(kind: string, text: string, compute: (text: string) => T): T;
}

export interface Rule {
  /** Stable code, used in directives, config and SARIF. */
  code: RuleCode;
  description: Text;
  defaultSeverity: Severity;
  /** Documentation page (the diagnostic's codeDescription.href). */
  docs: string;
  tags: string[];
  /**
   * `document`: checked per document by `check`; `config`: found while reading `.x1051.yaml`;
   * `workspace`: found by the coverage computation across documents.
   */
  scope: 'document' | 'config' | 'workspace';
  check?(ctx: RuleContext): void;
}

/** The documentation URL of a rule code. */
export function docsUrl(code: RuleCode): string {
  return `${DOCS_BASE}${code}.md`;
}
