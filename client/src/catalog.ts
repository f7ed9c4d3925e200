/**
 * The control catalogue as the client sees it.
 *
 * The client reads `dist/catalog.json` itself (it ships in the .vsix next to the bundles) instead
 * of asking the server for it, for three reasons: the quick picks of Insert Control… and Show
 * Control… need every control's text in both languages at once, which is one local file read but
 * a large LSP message; the commands keep working while the server is starting or restarting; and
 * the coverage tree needs clause titles and objectives to group controls, which the coverage report
 * does not repeat. The file is read lazily, on the first command or tree refresh that needs it.
 */
import { readFile } from 'node:fs/promises';
import type { Catalog, Clause, Control, Objective, Text } from '../../catalog/src/types';

/** Language of user-facing catalogue text. */
export type Lang = 'ja' | 'en';

/** Lookup tables over the compiled catalogue. */
export interface ClientCatalog {
  catalog: Catalog;
  controls: Map<string, Control>;
  clauses: Map<string, Clause>;
  objectives: Map<string, Objective>;
  /** Controls in the catalogue's order (main body clauses first, then Annex A). */
  ordered: Control[];
}

let pending: Promise<ClientCatalog> | undefined;

/**
 * Loads the catalogue once per session from the given path (normally `dist/catalog.json` inside
 * the installed extension). Later calls return the same promise.
 */
export function loadCatalog(path: string): Promise<ClientCatalog> {
  pending ??= readFile(path, 'utf8').then((json) => indexCatalog(JSON.parse(json) as Catalog));
  // A failed read should not poison later attempts (e.g. a build was still running).
  pending.catch(() => (pending = undefined));
  return pending;
}

/** Builds the lookup tables of a catalogue. Exported for tests. */
export function indexCatalog(catalog: Catalog): ClientCatalog {
  return {
    catalog,
    controls: new Map(catalog.controls.map((c) => [c.id, c])),
    clauses: new Map(catalog.clauses.map((c) => [c.id, c])),
    objectives: new Map(catalog.objectives.map((o) => [o.id, o])),
    ordered: catalog.controls,
  };
}

/** Picks one language of a bilingual text, falling back to the other when a side is empty. */
export function pick(text: Text | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text[lang === 'ja' ? 'en' : 'ja'] || '';
}
