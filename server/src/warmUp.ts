/**
 * The short policy a thread analyses once before its first real document (Node side): the analysis
 * workers when a document is opened (`AnalysisPool.warm`), and the server's main thread before it
 * checks short open documents itself (`server/mainThreadCheck.ts`). Analysing it loads the evidence
 * matcher and the lexicon and compiles the analysis code, so the first edit is not the one that
 * pays for them. Its analysis is dropped at once.
 */
import type { PolicyDocument } from './service';

/** The warm-up policy: a TEL claim with evidence, in English and Japanese. */
export const WARM_UP_TEXT = '# Policy\n\n## TEL.18.1.6 Secrecy of communications\n\nCall records are retained and never disclosed.\n\n## 通信の秘密\n\n通信の内容を保護する。\n';

/** Its uri: a scheme of its own, never a workspace document. */
export const WARM_UP_URI = 'x1051-warm-up:/policy.md';

/** The warm-up policy as a document. */
export function warmUpDocument(): PolicyDocument {
  return { uri: WARM_UP_URI, version: 1, getText: () => WARM_UP_TEXT };
}
