/**
 * The bilingual domain thesaurus (catalog/data/thesaurus.yaml): concepts with their Japanese and
 * English variants, referenced from item evidence terms as `{concept}` ("{supplier} + 監査"), and
 * English derivational families ("approve", "approval").
 *
 * One concept entry fixes every item that uses it; an organisation's `.x1051.yaml` may add variants
 * to a concept (`concepts:`). Pure: the build reads the file, the service expands terms.
 */

/** One concept. */
export interface Concept {
  id: string;
  note?: string;
  ja: string[];
  en: string[];
}

/** The compiled thesaurus (`thesaurus` in dist/catalog.json). */
export interface Thesaurus {
  concepts: Concept[];
  families: { en: string[][] };
  /**
   * Japanese forms that stand for each other inside any term (「かどうか」/「か否か」,
   * 「テスト」/「試験」): each group's words are interchangeable wherever a term contains one.
   */
  alternations?: { ja: string[][] };
}

/** Extra variants per concept id (from a config). */
export type ConceptExtras = Record<string, { ja?: string[]; en?: string[] }>;

const REF = /\{([a-z][a-z0-9-]*)\}/g;

/** Concept ids a term refers to. */
export function conceptRefs(term: string): string[] {
  return [...term.matchAll(REF)].map((m) => m[1]);
}

/** Most terms one term may expand to (a guard against combinatorial explosion). */
const MAX_EXPANSION = 200;

/**
 * Expands the concept references of a term into plain terms: each `{id}` becomes each variant of
 * the concept, in both languages (an English policy writes "BCP" too), plus the config's extra
 * variants. A reference to an unknown concept is left out (the build reports it).
 */
export function expandTerm(term: string, variantsOf: (id: string) => string[] | undefined): string[] {
  if (!term.includes('{')) return [term];
  let out = [term];
  for (;;) {
    const next: string[] = [];
    let changed = false;
    for (const t of out) {
      REF.lastIndex = 0;
      const m = REF.exec(t);
      if (!m) {
        next.push(t);
        continue;
      }
      changed = true;
      for (const v of variantsOf(m[1]) ?? []) {
        next.push(t.slice(0, m.index) + v + t.slice(m.index + m[0].length));
        if (next.length >= MAX_EXPANSION) break;
      }
    }
    out = next;
    if (!changed || out.length >= MAX_EXPANSION) return out.filter((t) => !t.includes('{'));
  }
}

/** Most variants alternations may give one term. */
const MAX_ALTERNATES = 16;

/**
 * A term and its variants under the thesaurus's Japanese alternations (the term itself first):
 * where the term contains a word of a group, each other word of the group stands in its place.
 */
export function alternateTerm(term: string, groups: ReadonlyArray<ReadonlyArray<string>> | undefined): string[] {
  if (!groups || !/[\u3040-\u30ff\u3400-\u9fff]/u.test(term)) return [term];
  let out = [term];
  for (const group of groups) {
    const next: string[] = [];
    for (const t of out) {
      next.push(t);
      const word = group.find((w) => t.includes(w));
      if (word === undefined) continue;
      for (const other of group) if (other !== word && next.length < MAX_ALTERNATES) next.push(t.split(word).join(other));
    }
    out = next;
  }
  return [...new Set(out)];
}

/** A lookup of concept variants (both languages), with a config's extras added. */
export function conceptLookup(thesaurus: Thesaurus | undefined, extras?: ConceptExtras): (id: string) => string[] | undefined {
  const map = new Map<string, string[]>();
  for (const c of thesaurus?.concepts ?? []) map.set(c.id, [...c.ja, ...c.en]);
  for (const [id, more] of Object.entries(extras ?? {})) {
    const list = map.get(id) ?? [];
    map.set(id, [...list, ...(more.ja ?? []), ...(more.en ?? [])]);
  }
  return (id) => map.get(id);
}

/**
 * Problems of a thesaurus against the catalogue's terms: duplicate concept ids, references to
 * unknown concepts, a word in two families.
 */
export function checkThesaurus(thesaurus: Thesaurus, terms: Iterable<{ id: string; term: string }>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const c of thesaurus.concepts) {
    if (ids.has(c.id)) problems.push(`concept ${c.id} is defined twice`);
    ids.add(c.id);
  }
  for (const { id, term } of terms) {
    for (const ref of conceptRefs(term)) if (!ids.has(ref)) problems.push(`item ${id}: term "${term}" refers to unknown concept {${ref}}`);
  }
  const family = new Map<string, string>();
  for (const fam of thesaurus.families.en) {
    for (const w of fam) {
      const other = family.get(w);
      if (other !== undefined && other !== fam[0]) problems.push(`"${w}" is in two families (${other}, ${fam[0]})`);
      family.set(w, fam[0]);
    }
  }
  const alternate = new Map<string, number>();
  (thesaurus.alternations?.ja ?? []).forEach((group, i) => {
    for (const w of group) {
      if (alternate.has(w)) problems.push(`"${w}" is in two alternation groups`);
      alternate.set(w, i);
    }
  });
  return problems;
}
