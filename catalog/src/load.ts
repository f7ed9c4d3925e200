/**
 * Loading the compiled catalogue from disk (Node only; the pure API is in `index.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogIndex } from './query';
import type { Catalog } from './types';

/** Thrown when the compiled catalogue cannot be found or read. */
export class CatalogLoadError extends Error {
  override readonly name = 'CatalogLoadError';
}

/**
 * Where the catalogue is looked for when no path is given: next to the running bundle
 * (`dist/catalog.json` beside `dist/cli.js` / `dist/server.js`), then `<repo>/dist/catalog.json`
 * found by walking up from this file (when run from source through tsx).
 */
export function defaultCatalogPaths(): string[] {
  const paths = [path.join(__dirname, 'catalog.json')];
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'dist', 'catalog.json');
    if (!paths.includes(candidate)) paths.push(candidate);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return paths;
}

/**
 * Reads the compiled catalogue (`dist/catalog.json`) and returns an index over it.
 *
 * @param file explicit path; by default the first of `defaultCatalogPaths()` that exists.
 * @throws CatalogLoadError when the file is missing ("run npm run build") or is not a catalogue.
 */
export function loadCatalog(file?: string): CatalogIndex {
  const candidates = file ? [file] : defaultCatalogPaths();
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new CatalogLoadError(
      `The compiled catalogue was not found (looked for ${candidates.join(', ')}). Run \`npm run build\` (or \`npm run catalog\`) first.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(found, 'utf8'));
  } catch (err) {
    throw new CatalogLoadError(`Cannot read the catalogue ${found}: ${(err as Error).message}. Run \`npm run build\` to rebuild it.`);
  }
  const c = data as Partial<Catalog> | null;
  if (!c || !Array.isArray(c.controls) || !Array.isArray(c.objectives) || !c.meta) {
    throw new CatalogLoadError(`${found} is not a compiled x1051 catalogue. Run \`npm run build\` to rebuild it.`);
  }
  return new CatalogIndex(c as Catalog);
}
