/**
 * Compiles the source files of `catalog/data` into the `Catalog` everything else reads.
 *
 * Pure: takes parsed files, returns the catalogue and a list of problems. Reading YAML, schema
 * validation and writing `dist/catalog.json` are `build.ts`'s job.
 */
import type {
  AnnexBEntry,
  Block,
  Catalog,
  Clause,
  Control,
  Definition,
  Abbreviation,
  Edition,
  EditionName,
  SourceEdition,
  Erratum,
  Item,
  ItemLevel,
  ListInfo,
  Objective,
  SourceAbbreviation,
  SourceAnnexB,
  SourceClause,
  SourceControl,
  SourceDefinition,
  SourceFile,
  SourceIsoIndex,
  SourceList,
  SourceObjective,
  SourceRef,
  Text,
} from './types';
import { bareLabel, formatItemId } from './normalize';

/** Something wrong in the source files, named by file and entry so it can be fixed. */
export interface Problem {
  /** Source file path as given to `compileCatalog`. */
  file: string;
  /** Id of the entry (or item) concerned, when there is one. */
  id?: string;
  /** Stable short code: 'duplicate-id', 'unknown-list', … */
  code: ProblemCode;
  message: string;
}

export type ProblemCode =
  | 'duplicate-id'
  | 'duplicate-item'
  | 'unknown-list'
  | 'unplaced-list'
  | 'unnamed-list'
  | 'duplicate-list'
  | 'bad-id'
  | 'bad-label'
  | 'not-in-iso-index'
  | 'missing-objective'
  | 'missing-terms'
  | 'iso-index'
  | 'unknown-erratum-id'
  | 'edition';

/** The statement recorded in `meta.translation`. */
export const TRANSLATION_NOTE =
  'The Japanese text is that of TTC JT-X1051 (the Japanese national text of ITU-T X.1051 | ISO/IEC 27011:2016). ' +
  'The English text is the x1051 project’s own translation, not an official text of ITU-T, ISO/IEC or TTC.';

/** Id forms per entry kind. TEL clauses are 9–18, ISO clauses 5–18; components have no leading zero. */
export const ID_PATTERNS = {
  clause: /^(?:[5-9]|1[0-8]|TEL\.(?:9|1[0-8]))$/,
  objective: /^(?:(?:[5-9]|1[0-8])|TEL\.(?:9|1[0-8]))\.[1-9][0-9]?$/,
  control: /^(?:(?:[5-9]|1[0-8])|TEL\.(?:9|1[0-8]))\.[1-9][0-9]?\.[1-9][0-9]?$/,
  annexB: /^B\.[1-9][0-9]?(?:\.[1-9][0-9]?)?$/,
  definition: /^3\.[1-9]\.[1-9][0-9]?$/,
  /** Printed labels: "a)", "4)"; synthesised: "1.". */
  label: /^(?:[a-z]\)|[1-9][0-9]?\)|[1-9][0-9]?\.)$/,
};

interface Located<T> {
  file: string;
  entry: T;
}

/**
 * Compares two ids in standard order: main-body ids before Annex A (TEL) ids before Annex B,
 * numeric components compared as numbers.
 */
export function compareIds(a: string, b: string): number {
  const ka = idKey(a);
  const kb = idKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function idKey(id: string): number[] {
  const group = id.startsWith('TEL.') ? 1 : id.startsWith('B.') ? 2 : 0;
  const nums = id.replace(/^(?:TEL\.|B\.)/, '').split('.').map((p) => Number.parseInt(p, 10));
  return [group, ...nums.map((n) => (Number.isNaN(n) ? 0 : n))];
}

/** Objective id of a control id ("TEL.18.1.6" → "TEL.18.1"). */
export function objectiveOf(controlId: string): string {
  return controlId.slice(0, controlId.lastIndexOf('.'));
}

/** Clause id of a control or objective id ("TEL.18.1.6" → "TEL.18", "12.4" → "12"). */
export function clauseOf(id: string): string {
  const tel = id.startsWith('TEL.');
  const first = (tel ? id.slice(4) : id).split('.')[0];
  return tel ? `TEL.${first}` : first;
}

/**
 * Builds the compiled catalogue from parsed source files. Never throws on bad data: everything
 * wrong is returned in `problems`, and the catalogue is built from what could be used.
 */
export function compileCatalog(files: { path: string; data: SourceFile }[]): { catalog: Catalog; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (file: string, code: ProblemCode, message: string, id?: string) =>
    problems.push(id === undefined ? { file, code, message } : { file, id, code, message });

  const clauses: Located<SourceClause>[] = [];
  const objectives: Located<SourceObjective>[] = [];
  const controls: Located<SourceControl>[] = [];
  const annexB: Located<SourceAnnexB>[] = [];
  const definitions: Located<SourceDefinition>[] = [];
  const abbreviations: Located<SourceAbbreviation>[] = [];
  const isoIndexes: Located<SourceIsoIndex>[] = [];
  const errata: Located<Erratum>[] = [];
  const editions: Located<SourceEdition>[] = [];

  for (const { path, data } of files) {
    for (const entry of data?.entries ?? []) {
      switch (entry.kind) {
        case 'clause':
          clauses.push({ file: path, entry });
          break;
        case 'objective':
          objectives.push({ file: path, entry });
          break;
        case 'control':
          controls.push({ file: path, entry });
          break;
        case 'annex-b':
          annexB.push({ file: path, entry });
          break;
        case 'definition':
          definitions.push({ file: path, entry });
          break;
        case 'abbreviation':
          abbreviations.push({ file: path, entry });
          break;
        case 'iso-index':
          isoIndexes.push({ file: path, entry });
          break;
        case 'edition':
          editions.push({ file: path, entry });
          break;
      }
    }
    for (const e of data?.errata ?? []) errata.push({ file: path, entry: e });
  }

  // Ids share one namespace per family; a repeated id is reported where it is repeated.
  const seen = new Map<string, string>();
  const checkUnique = (file: string, id: string, what: string): boolean => {
    const key = `${what}:${id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      report(file, 'duplicate-id', `duplicate ${what} id ${id} (first defined in ${first})`, id);
      return false;
    }
    seen.set(key, file);
    return true;
  };
  const checkForm = (file: string, id: string, kind: keyof typeof ID_PATTERNS, what: string): void => {
    if (!ID_PATTERNS[kind].test(id)) report(file, 'bad-id', `${what} id "${id}" does not have the form of a ${what} id`, id);
  };

  // ---- The ISO/IEC 27002 index ----
  const isoClauses = new Map<string, { title: Text; objectives: string[] }>();
  const isoObjectives = new Map<string, { title: Text; controls: string[] }>();
  const isoControls = new Map<string, { title: Text }>();
  if (isoIndexes.length > 1) {
    for (const extra of isoIndexes.slice(1)) report(extra.file, 'iso-index', 'more than one iso-index entry; only the first is used');
  }
  const iso = isoIndexes[0];
  if (iso) {
    for (const c of iso.entry.clauses ?? []) {
      checkForm(iso.file, c.id, 'clause', 'ISO clause');
      if (isoClauses.has(c.id)) report(iso.file, 'duplicate-id', `duplicate ISO clause ${c.id} in the index`, c.id);
      isoClauses.set(c.id, { title: c.title, objectives: (c.objectives ?? []).map((o) => o.id) });
      for (const o of c.objectives ?? []) {
        checkForm(iso.file, o.id, 'objective', 'ISO objective');
        if (clauseOf(o.id) !== c.id) report(iso.file, 'bad-id', `ISO objective ${o.id} is listed under clause ${c.id}`, o.id);
        if (isoObjectives.has(o.id)) report(iso.file, 'duplicate-id', `duplicate ISO objective ${o.id} in the index`, o.id);
        isoObjectives.set(o.id, { title: o.title, controls: (o.controls ?? []).map((x) => x.id) });
        for (const x of o.controls ?? []) {
          checkForm(iso.file, x.id, 'control', 'ISO control');
          if (objectiveOf(x.id) !== o.id) report(iso.file, 'bad-id', `ISO control ${x.id} is listed under objective ${o.id}`, x.id);
          if (isoControls.has(x.id)) report(iso.file, 'duplicate-id', `duplicate ISO control ${x.id} in the index`, x.id);
          isoControls.set(x.id, { title: x.title });
        }
      }
    }
  }

  // ---- Controls ----
  const compiledControls = new Map<string, Control>();
  const itemIds = new Map<string, string>();
  for (const { file, entry } of controls) {
    checkForm(file, entry.id, 'control', 'control');
    if (!checkUnique(file, entry.id, 'control')) continue;
    const isTel = entry.id.startsWith('TEL.');
    if (isTel !== (entry.controlKind === 'tel')) {
      report(file, 'bad-id', `control ${entry.id} has controlKind "${entry.controlKind}", which does not match its id`, entry.id);
    }
    if (!isTel && !isoControls.has(entry.id)) {
      report(file, 'not-in-iso-index', `control ${entry.id} is not in the ISO/IEC 27002 index`, entry.id);
    }
    const blocks = [entry.guidance, entry.telecomGuidance, entry.relatedInfo, entry.telecomRelatedInfo];
    const { lists, items } = compileLists(file, entry.id, entry.lists, blocks, entry.source, report, itemIds);
    const control: Control = {
      id: entry.id,
      kind: entry.controlKind,
      clause: clauseOf(entry.id),
      objective: objectiveOf(entry.id),
      title: entry.title,
      lists,
      items,
      source: entry.source,
    };
    copyOptional(entry, control, ['control', 'applies', 'guidance', 'telecomGuidance', 'relatedInfo', 'telecomRelatedInfo']);
    compiledControls.set(entry.id, control);
  }
  // ISO controls nobody wrote are applied as-is: id, title and reference only.
  for (const [id, { title }] of isoControls) {
    if (compiledControls.has(id)) continue;
    compiledControls.set(id, {
      id,
      kind: 'iso-as-is',
      clause: clauseOf(id),
      objective: objectiveOf(id),
      title,
      lists: [],
      items: [],
      source: { clause: id },
    });
  }

  // ---- Objectives ----
  const sourceObjectives = new Map<string, Located<SourceObjective>>();
  for (const located of objectives) {
    const { file, entry } = located;
    checkForm(file, entry.id, 'objective', 'objective');
    if (!checkUnique(file, entry.id, 'objective')) continue;
    if (!entry.id.startsWith('TEL.') && !isoObjectives.has(entry.id)) {
      report(file, 'not-in-iso-index', `objective ${entry.id} is not in the ISO/IEC 27002 index`, entry.id);
    }
    sourceObjectives.set(entry.id, located);
  }
  const objectiveIds = new Set<string>([...isoObjectives.keys(), ...sourceObjectives.keys()]);
  for (const c of compiledControls.values()) {
    if (!objectiveIds.has(c.objective)) {
      const file = controls.find((x) => x.entry.id === c.id)?.file ?? '';
      report(file, 'missing-objective', `control ${c.id} belongs to objective ${c.objective}, which no file defines`, c.id);
      objectiveIds.add(c.objective);
    }
  }
  const compiledObjectives: Objective[] = [];
  for (const id of [...objectiveIds].sort(compareIds)) {
    const src = sourceObjectives.get(id)?.entry;
    const controlIds = [...compiledControls.values()].filter((c) => c.objective === id).map((c) => c.id).sort(compareIds);
    const allAsIs = controlIds.length > 0 && controlIds.every((x) => compiledControls.get(x)?.kind === 'iso-as-is');
    const o: Objective = {
      id,
      clause: clauseOf(id),
      title: src?.title ?? isoObjectives.get(id)?.title ?? { ja: id, en: id },
      asIs: src?.applies !== undefined || (!id.startsWith('TEL.') && allAsIs),
      controls: controlIds,
      source: src?.source ?? { clause: id },
    };
    if (src) copyOptional(src, o, ['objective', 'applies', 'notes']);
    compiledObjectives.push(o);
  }

  // ---- Clauses ----
  const sourceClauses = new Map<string, Located<SourceClause>>();
  for (const located of clauses) {
    const { file, entry } = located;
    checkForm(file, entry.id, 'clause', 'clause');
    if (!checkUnique(file, entry.id, 'clause')) continue;
    if (!entry.id.startsWith('TEL.') && !isoClauses.has(entry.id)) {
      report(file, 'not-in-iso-index', `clause ${entry.id} is not in the ISO/IEC 27002 index`, entry.id);
    }
    sourceClauses.set(entry.id, located);
  }
  const clauseIds = new Set<string>([...isoClauses.keys(), ...sourceClauses.keys(), ...compiledObjectives.map((o) => o.clause)]);
  const compiledClauses: Clause[] = [];
  for (const id of [...clauseIds].sort(compareIds)) {
    const src = sourceClauses.get(id)?.entry;
    const c: Clause = {
      id,
      title: src?.title ?? isoClauses.get(id)?.title ?? { ja: id, en: id },
      objectives: compiledObjectives.filter((o) => o.clause === id).map((o) => o.id),
      source: src?.source ?? { clause: id },
    };
    if (id.startsWith('TEL.')) c.annex = 'A';
    if (src) copyOptional(src, c, ['applies', 'notes']);
    compiledClauses.push(c);
  }

  // ---- Annex B ----
  const compiledAnnexB: AnnexBEntry[] = [];
  for (const { file, entry } of annexB) {
    checkForm(file, entry.id, 'annexB', 'Annex B');
    if (!checkUnique(file, entry.id, 'annex-b')) continue;
    const { lists, items } = compileLists(file, entry.id, entry.lists, [entry.body], entry.source, report, itemIds);
    const b: AnnexBEntry = { id: entry.id, title: entry.title, lists, items, source: entry.source };
    if (entry.body) b.body = entry.body;
    compiledAnnexB.push(b);
  }
  compiledAnnexB.sort((a, b) => compareIds(a.id, b.id));

  // ---- Definitions and abbreviations ----
  const compiledDefinitions: Definition[] = [];
  for (const { file, entry } of definitions) {
    checkForm(file, entry.id, 'definition', 'definition');
    if (!checkUnique(file, entry.id, 'definition')) continue;
    compiledDefinitions.push({ id: entry.id, term: entry.term, text: entry.text, notes: entry.notes ?? [], source: entry.source });
  }
  compiledDefinitions.sort((a, b) => compareIds(a.id, b.id));
  const compiledAbbreviations: Abbreviation[] = [];
  for (const { file, entry } of abbreviations) {
    if (!checkUnique(file, entry.abbr, 'abbreviation')) continue;
    compiledAbbreviations.push({ abbr: entry.abbr, expansion: entry.expansion, text: entry.text, source: entry.source });
  }

  // ---- Errata must name something that exists ----
  const knownIds = new Set<string>([
    ...compiledControls.keys(),
    ...compiledObjectives.map((o) => o.id),
    ...compiledClauses.map((c) => c.id),
    ...compiledAnnexB.map((b) => b.id),
    ...compiledDefinitions.map((d) => d.id),
    ...compiledAbbreviations.map((a) => a.abbr),
    ...itemIds.keys(),
  ]);
  for (const { file, entry } of errata) {
    if (!knownIds.has(entry.id)) report(file, 'unknown-erratum-id', `erratum names ${entry.id}, which is not in the catalogue`, entry.id);
  }

  // ---- Other editions (ISO/IEC 27002:2022, ISO/IEC 27011:2024 TEL) ----
  const compiledEditions = compileEditions(editions, new Set(compiledControls.keys()), isoControls, report);

  const catalog: Catalog = {
    meta: {
      standard: 'ITU-T X.1051 (04/2016) | ISO/IEC 27011:2016 — TTC JT-X1051',
      edition: 'JT-X1051 第1版 (2018-02-15)',
      translation: TRANSLATION_NOTE,
      errata: errata.map((e) => e.entry),
    },
    clauses: compiledClauses,
    objectives: compiledObjectives,
    controls: [...compiledControls.values()].sort((a, b) => compareIds(a.id, b.id)),
    annexB: compiledAnnexB,
    definitions: compiledDefinitions,
    abbreviations: compiledAbbreviations,
  };
  if (Object.keys(compiledEditions).length > 0) catalog.editions = compiledEditions;
  return { catalog, problems };
}

/** Theme of a 2022 control by its first number. */
const THEMES: Record<string, Edition['controls'][number]['theme']> = { '5': 'organizational', '6': 'people', '7': 'physical', '8': 'technological' };

/**
 * Compiles the other editions. Checks: ids unique per edition, theme matching the id's clause,
 * every `from` id a control of this catalogue, and for ISO/IEC 27002:2022 that every ISO/IEC
 * 27002:2013 control is the `from` of at least one 2022 control (the correspondence is complete).
 */
function compileEditions(
  editions: Located<SourceEdition>[],
  controlIds: Set<string>,
  isoControls: Map<string, unknown>,
  report: (file: string, code: ProblemCode, message: string, id?: string) => void,
): Partial<Record<EditionName, Edition>> {
  const out: Partial<Record<EditionName, Edition>> = {};
  for (const { file, entry } of editions) {
    if (out[entry.edition]) {
      report(file, 'duplicate-id', `edition ${entry.edition} is defined twice`, entry.edition);
      continue;
    }
    const seenIds = new Set<string>();
    const controls = [];
    for (const c of entry.controls ?? []) {
      if (seenIds.has(c.id)) {
        report(file, 'duplicate-id', `duplicate ${entry.edition} control ${c.id}`, c.id);
        continue;
      }
      seenIds.add(c.id);
      if (THEMES[c.id.split('.')[0]] !== c.theme) report(file, 'edition', `${entry.edition} control ${c.id} has theme ${c.theme}, which does not match its number`, c.id);
      for (const f of c.from ?? []) {
        if (!controlIds.has(f)) report(file, 'edition', `${entry.edition} control ${c.id} maps from ${f}, which is not a control of the catalogue`, c.id);
      }
      controls.push({ ...c, from: [...(c.from ?? [])] });
    }
    controls.sort((a, b) => compareIds(a.id.replace(/ TEL$/, ''), b.id.replace(/ TEL$/, '')));
    if (entry.edition === '27002:2022') {
      const mapped = new Set(controls.flatMap((c) => c.from));
      for (const id of isoControls.keys()) {
        if (!mapped.has(id)) report(file, 'edition', `ISO/IEC 27002:2013 control ${id} is not the source of any 27002:2022 control`, id);
      }
    }
    const e: Edition = { standard: entry.standard, controls };
    if (entry.telControls !== undefined) e.telControls = entry.telControls;
    out[entry.edition] = e;
  }
  return out;
}

/** Copies the named optional fields that are present from `from` to `to`. */
function copyOptional<S extends object, T extends object>(from: S, to: T, keys: string[]): void {
  const src = from as Record<string, unknown>;
  const dst = to as Record<string, unknown>;
  for (const k of keys) if (src[k] !== undefined) dst[k] = src[k];
}

/** Every list number a `{list: N}` block refers to, over all block arrays of an entry. */
function placedLists(blocks: (Block[] | undefined)[]): number[] {
  const out: number[] = [];
  for (const arr of blocks) for (const b of arr ?? []) if ('list' in b) out.push(b.list);
  return out;
}

/**
 * Flattens an entry's lists into items with stable ids, and checks that lists and blocks agree:
 * every `{list: N}` refers to a list, and every printed (not synthesised) list is placed.
 */
function compileLists(
  file: string,
  owner: string,
  sourceLists: SourceList[] | undefined,
  blocks: (Block[] | undefined)[],
  ref: SourceRef,
  report: (file: string, code: ProblemCode, message: string, id?: string) => void,
  itemIds: Map<string, string>,
): { lists: ListInfo[]; items: Item[] } {
  const lists: ListInfo[] = [];
  const items: Item[] = [];
  const numbers = new Set<number>();
  for (const l of sourceLists ?? []) {
    if (numbers.has(l.list)) {
      report(file, 'duplicate-list', `${owner} has list ${l.list} twice`, owner);
      continue;
    }
    numbers.add(l.list);
    const info: ListInfo = { list: l.list, level: l.level, rationale: l.rationale, synthesised: l.synthesised === true };
    if (l.name) info.name = { ja: l.name.ja, en: l.name.en };
    lists.push(info);
  }
  // Item labels name the list when there are several ("TEL.18.1.6 guideline g)"), so each needs a name.
  if ((sourceLists ?? []).length > 1) {
    for (const l of sourceLists ?? []) {
      if (!l.name?.ja?.trim() || !l.name?.en?.trim()) report(file, 'unnamed-list', `${owner} has several lists, and list ${l.list} has no name in both languages`, owner);
    }
  }
  const placed = placedLists(blocks);
  for (const n of placed) {
    if (!numbers.has(n)) report(file, 'unknown-list', `${owner} places list ${n}, which it does not define`, owner);
  }
  for (const l of sourceLists ?? []) {
    if (!l.synthesised && !placed.includes(l.list)) {
      report(file, 'unplaced-list', `${owner} list ${l.list} is never placed by a {list: ${l.list}} block`, owner);
    }
  }
  lists.sort((a, b) => a.list - b.list);

  const add = (item: Item) => {
    const first = itemIds.get(item.id);
    if (first !== undefined) {
      report(file, 'duplicate-item', `duplicate item id ${item.id} (first defined in ${first})`, item.id);
      return;
    }
    itemIds.set(item.id, file);
    if (item.terms.ja.length === 0 || item.terms.en.length === 0) {
      report(file, 'missing-terms', `item ${item.id} has no ${item.terms.ja.length === 0 ? 'Japanese' : 'English'} evidence terms`, item.id);
    }
    items.push(item);
  };
  const source = (list: number): Item['source'] => ({ ...ref, list });
  const checkLabel = (label: string, where: string) => {
    if (!ID_PATTERNS.label.test(label)) report(file, 'bad-label', `label "${label}" of ${where} is not of the form "a)", "4)" or "1."`, where);
  };

  for (const l of [...(sourceLists ?? [])].sort((a, b) => a.list - b.list)) {
    for (const it of l.items ?? []) {
      const label = bareLabel(it.label);
      const id = formatItemId(owner, l.list, [label]);
      checkLabel(it.label, id);
      if (l.synthesised && !/^[1-9][0-9]?\.$/.test(it.label)) {
        report(file, 'bad-label', `synthesised item ${id} must be labelled "1.", "2.", …`, id);
      }
      const parent = compiledItem(id, owner, l.list, it.label, l.level, it, source(l.list));
      const listName = (sourceLists ?? []).length > 1 && l.name ? { ja: l.name.ja, en: l.name.en } : undefined;
      if (listName) parent.listName = listName;
      // Context words: the item's own, else the list's; sub-items inherit their parent's.
      const context = it.context ?? l.context;
      if (context) parent.context = { ja: [...context.ja], en: [...context.en] };
      add(parent);
      const subLevel: ItemLevel = it.level ?? l.level;
      for (const sub of it.items ?? []) {
        const subId = formatItemId(owner, l.list, [label, bareLabel(sub.label)]);
        checkLabel(sub.label, subId);
        const item = compiledItem(subId, owner, l.list, `${it.label} ${sub.label}`, subLevel, sub, source(l.list));
        if (listName) item.listName = listName;
        const subContext = sub.context ?? context;
        if (subContext) item.context = { ja: [...subContext.ja], en: [...subContext.en] };
        item.parent = id;
        add(item);
        if (sub.items?.length) report(file, 'bad-label', `${subId} has a third level of items, which ids cannot name`, subId);
      }
    }
  }
  return { lists, items };
}

function compiledItem(
  id: string,
  control: string,
  list: number,
  label: string,
  level: ItemLevel,
  it: { ja: string; en: string; subject: Text; terms: { ja: string[]; en: string[] } },
  source: Item['source'],
): Item {
  return {
    id,
    control,
    list,
    label,
    level,
    text: { ja: it.ja, en: it.en },
    subject: it.subject,
    terms: { ja: [...(it.terms?.ja ?? [])], en: [...(it.terms?.en ?? [])] },
    source,
  };
}
