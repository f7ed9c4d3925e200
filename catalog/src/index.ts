/**
 * The pure catalogue API: types, id normalisation, compilation, lookups and rendering.
 * Nothing here imports Node built-ins, so the language service can use it anywhere; reading files
 * is in `load.ts` (loading `dist/catalog.json`) and `build.ts` (the build step).
 */
export * from './types';
export * from './normalize';
export { compileCatalog, compareIds, clauseOf, objectiveOf, TRANSLATION_NOTE, ID_PATTERNS, type Problem, type ProblemCode } from './compile';
export { CatalogIndex, textKey, editDistance, type CatalogEntryRef, type SearchResult } from './query';
export {
  renderControlMarkdown,
  renderItemMarkdown,
  renderAnnexBMarkdown,
  renderDefinitionMarkdown,
  renderAbbreviationMarkdown,
  renderEntryMarkdown,
  renderMarkdown,
  renderEditionControlMarkdown,
  counterpartLine,
  escapeMarkdown,
} from './render';
export { itemLabel, parseItemLabel, type LabelResolver } from './labels';
export { EditionIndex, formatIdRuns, describeMapping, EDITION_LABEL, type EditionChoice } from './editions';
export { findEditionIdCandidates, type EditionIdCandidate, type EditionIdForm } from './editionIds';
export { lookupEditionId, type EditionLookup } from './editionLookup';
