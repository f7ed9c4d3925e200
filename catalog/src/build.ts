/**
 * The catalogue build step (`npm run catalog`, also the first step of `npm run build`):
 * reads `catalog/data/*.yaml`, validates each file against `catalog/schema/source.schema.json`,
 * compiles, validates the result against `catalog/schema/catalog.schema.json`, writes
 * `dist/catalog.json` and prints one line of counts. Exits 1 on any schema error or problem.
 *
 * Completeness (how many controls there must be) is asserted by the tests, not here, so the build
 * passes while the data is still being written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import sourceSchema from '../schema/source.schema.json';
import catalogSchema from '../schema/catalog.schema.json';
import thesaurusSchema from '../schema/thesaurus.schema.json';
import { checkThesaurus, type Thesaurus } from './thesaurus';
import { compileCatalog, type Problem } from './compile';
import type { Catalog, SourceFile } from './types';

/** The thesaurus file among the data files (validated against its own schema). */
export const THESAURUS_FILE = 'thesaurus.yaml';

/** Aliases are not needed in the catalogue; a small limit defeats "billion laughs" documents. */
const MAX_ALIAS_COUNT = 10;

/** One error found while reading or validating a source file. */
export interface BuildError {
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** JSON pointer into the file's data, for schema errors. */
  pointer?: string;
  /** Id of the entry concerned, when known. */
  id?: string;
  message: string;
}

/** Formats a build error as `file:line: pointer (id): message`, the way editors link it. */
export function formatBuildError(e: BuildError): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}` : e.file;
  const pointer = e.pointer ? ` ${e.pointer}` : '';
  const id = e.id ? ` (${e.id})` : '';
  return `${where}:${pointer}${id} ${e.message}`;
}

/** Formats a compile problem as `file: (id) message [code]`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.id ? ` (${p.id})` : ''} ${p.message} [${p.code}]`;
}

let validators: { source: ValidateFunction; catalog: ValidateFunction; thesaurus: ValidateFunction } | undefined;

/** The compiled schema validators (compiled once). */
export function schemaValidators(): { source: ValidateFunction; catalog: ValidateFunction; thesaurus: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true });
    validators = { source: ajv.compile(sourceSchema), catalog: ajv.compile(catalogSchema), thesaurus: ajv.compile(thesaurusSchema) };
  }
  return validators;
}

/** Turns a JSON pointer ("/entries/3/title/ja") into path segments for `yaml`'s `getIn`. */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

/** The id (or abbreviation) of the entry a JSON pointer points into, when it points into one. */
function entryIdAt(data: unknown, pointer: string): string | undefined {
  const m = /^\/(entries|errata)\/([0-9]+)/.exec(pointer);
  if (!m || typeof data !== 'object' || data === null) return undefined;
  const arr = (data as Record<string, unknown>)[m[1]];
  const entry = Array.isArray(arr) ? arr[Number(m[2])] : undefined;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const id = e.id ?? e.abbr;
  return typeof id === 'string' ? id : undefined;
}

/** Makes one Ajv error readable: "must have required property 'en'", "must NOT have additional property 'foo'". */
function describeAjvError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `must not have property '${String(params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${e.message}: ${JSON.stringify(params.allowedValues)}`;
  return e.message ?? e.keyword;
}

/**
 * Parses and validates one source file. Returns the data when it is valid; every YAML and schema
 * error otherwise, each with its line, JSON pointer and entry id.
 */
export function readSourceFile(
  file: string,
  text: string,
  kind: 'source' | 'thesaurus' = file.split('/').pop() === THESAURUS_FILE ? 'thesaurus' : 'source',
): { data?: SourceFile; errors: BuildError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: BuildError[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
    errors.push({ file, line, message: `YAML: ${e.message.split('\n')[0]}` });
  }
  if (errors.length > 0) return { errors };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    return { errors: [{ file, message: `YAML: ${(err as Error).message}` }] };
  }
  const validate = schemaValidators()[kind];
  if (!validate(data)) {
    // The oneOf/discriminator wrappers repeat what the branch errors already say.
    const relevant = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' || (validate.errors ?? []).length === 1);
    for (const e of relevant) {
      const node = doc.getIn(pointerPath(e.instancePath), true);
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      const err: BuildError = { file, pointer: e.instancePath || '/', message: describeAjvError(e) };
      if (offset !== undefined) err.line = lineCounter.linePos(offset).line;
      const id = entryIdAt(data, e.instancePath);
      if (id !== undefined) err.id = id;
      errors.push(err);
    }
    return { errors };
  }
  return { data: data as SourceFile, errors };
}

/** Counts printed after a build, also used by tests. */
export function catalogCounts(c: Catalog): Record<string, number> {
  const items = [...c.controls.flatMap((x) => x.items), ...c.annexB.flatMap((b) => b.items)];
  return {
    tel: c.controls.filter((x) => x.kind === 'tel').length,
    isoTelecom: c.controls.filter((x) => x.kind === 'iso-telecom').length,
    isoAsIs: c.controls.filter((x) => x.kind === 'iso-as-is').length,
    objectives: c.objectives.length,
    clauses: c.clauses.length,
    required: items.filter((i) => i.level === 'required').length,
    recommended: items.filter((i) => i.level === 'recommended').length,
    informative: items.filter((i) => i.level === 'informative').length,
    annexB: c.annexB.length,
    definitions: c.definitions.length,
    abbreviations: c.abbreviations.length,
    errata: c.meta.errata.length,
  };
}

/** The one line of counts the build prints. */
export function formatCounts(c: Catalog): string {
  const n = catalogCounts(c);
  return (
    `catalog: controls ${n.tel} tel + ${n.isoTelecom} iso-telecom + ${n.isoAsIs} iso-as-is, ` +
    `${n.objectives} objectives, ${n.clauses} clauses, ` +
    `items ${n.required} required / ${n.recommended} recommended / ${n.informative} informative, ` +
    `${n.annexB} annex B entries, ${n.definitions} definitions, ${n.abbreviations} abbreviations, ${n.errata} errata`
  );
}

/** Result of a build: the catalogue when everything was valid, and everything that was not. */
export interface BuildResult {
  catalog?: Catalog;
  errors: BuildError[];
  problems: Problem[];
}

/**
 * Reads every `*.yaml` in `dataDir` (sorted by name), validates and compiles. File paths in errors
 * are relative to `relativeTo` (the repository root), so they can be clicked in a terminal.
 */
export function buildCatalog(dataDir: string, relativeTo = process.cwd()): BuildResult {
  const names = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((n) => /\.ya?ml$/.test(n)).sort() : [];
  const errors: BuildError[] = [];
  const files: { path: string; data: SourceFile }[] = [];
  let thesaurus: { path: string; data: Thesaurus } | undefined;
  for (const name of names) {
    const full = path.join(dataDir, name);
    const rel = path.relative(relativeTo, full).split(path.sep).join('/');
    // The thesaurus has its own schema (catalog/schema/thesaurus.schema.json).
    const isThesaurus = name === THESAURUS_FILE;
    const { data, errors: fileErrors } = readSourceFile(rel, fs.readFileSync(full, 'utf8'), isThesaurus ? 'thesaurus' : 'source');
    errors.push(...fileErrors);
    if (data && isThesaurus) thesaurus = { path: rel, data: data as unknown as Thesaurus };
    else if (data) files.push({ path: rel, data });
  }
  const { catalog, problems } = compileCatalog(files);
  if (thesaurus) {
    catalog.thesaurus = thesaurus.data;
    const terms = [...catalog.controls.flatMap((c) => c.items), ...catalog.annexB.flatMap((b) => b.items)].flatMap((it) =>
      [...it.terms.ja, ...it.terms.en].map((term) => ({ id: it.id, term })),
    );
    for (const message of checkThesaurus(thesaurus.data, terms)) errors.push({ file: thesaurus.path, message });
  }
  const validate = schemaValidators().catalog;
  if (!validate(catalog)) {
    for (const e of validate.errors ?? []) {
      errors.push({ file: 'dist/catalog.json', pointer: e.instancePath || '/', message: describeAjvError(e) });
    }
  }
  return errors.length === 0 && problems.length === 0 ? { catalog, errors, problems } : { errors, problems };
}

/** Finds the repository root: the nearest directory above `from` holding `catalog/data`. */
export function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'catalog', 'data')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Entry point: `node dist/catalog-build.js [--data <dir>] [--out <file>]`. */
export function main(argv: string[]): number {
  const root = findRepoRoot(__dirname);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dataDir = path.resolve(arg('--data') ?? path.join(root, 'catalog', 'data'));
  const out = path.resolve(arg('--out') ?? path.join(root, 'dist', 'catalog.json'));
  const result = buildCatalog(dataDir, root);
  for (const e of result.errors) console.error(formatBuildError(e));
  for (const p of result.problems) console.error(formatProblem(p));
  if (!result.catalog) {
    console.error(`catalog: ${result.errors.length} schema/YAML errors, ${result.problems.length} problems; dist/catalog.json not written`);
    return 1;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result.catalog) + '\n');
  console.log(formatCounts(result.catalog));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
