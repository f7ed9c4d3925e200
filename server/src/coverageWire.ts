/**
 * The compact form of the workspace coverage that `x1051/coverage` sends when the client asks for
 * it (`format: "compact"`), and its expansion on the client. Shared by both sides, so it must stay
 * free of server-only code.
 *
 * The full coverage of 1,000 policies is about 4 MB of JSON, nine tenths of it the places where
 * each item is addressed and the claims' locations, every one with its document's URI and a
 * nested range object. The compact form keeps everything the sidebar's top level, the status bar
 * and the Statement of Applicability read, and drops what only an expanded node shows:
 * - document URIs are a table (`uris`); a claim is a tuple `[uri index, start line, start
 *   character, end line, end character, how, missing item ids]`, without its heading text;
 * - an item keeps its first piece of evidence (what a click opens) and says how many there are
 *   (`evidenceCount`); the rest, and the claims' headings, come with `x1051/coverageDetails` for
 *   the controls the user expands.
 * `expandCoverage` turns it back into the `Coverage` shape, so the client's code reads one shape.
 */
import type { ClaimCoverage, ControlCoverage, Coverage, ItemCoverage, Location } from './service/coverage';

/** A claim as a tuple: uri index, range as four numbers, 0 heading / 1 front matter, missing ids. */
export type CompactClaim = [number, number, number, number, number, 0 | 1, string[]];

/** A location with its uri as an index into `uris`. */
export interface CompactLocation {
  u: number;
  r: [number, number, number, number];
}

/** An item of the compact form: the first evidence only, and the count. */
export type CompactItem = Omit<ItemCoverage, 'evidence' | 'notApplicable'> & {
  evidence: Array<CompactLocation & { term: string }>;
  evidenceCount: number;
  notApplicable?: CompactLocation & Omit<NonNullable<ItemCoverage['notApplicable']>, 'uri' | 'range'>;
};

/** A control of the compact form. */
export type CompactControl = Omit<ControlCoverage, 'claims' | 'items' | 'decidedAt'> & {
  claims: CompactClaim[];
  items: CompactItem[];
  decidedAt?: CompactLocation;
};

/** The compact coverage (see the module comment). */
export interface CompactCoverage extends Omit<Coverage, 'controls'> {
  format: 'compact';
  uris: string[];
  controls: CompactControl[];
}

/** Encodes a coverage in the compact form. */
export function compactCoverage(coverage: Coverage): CompactCoverage {
  const uris: string[] = [];
  const index = new Map<string, number>();
  const u = (uri: string): number => {
    let i = index.get(uri);
    if (i === undefined) {
      i = uris.length;
      uris.push(uri);
      index.set(uri, i);
    }
    return i;
  };
  const loc = (l: Location): CompactLocation => ({ u: u(l.uri), r: [l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character] });
  const controls = coverage.controls.map((c): CompactControl => {
    const { claims, items, decidedAt, ...rest } = c;
    const out: CompactControl = {
      ...rest,
      claims: claims.map((k): CompactClaim => [u(k.uri), k.range.start.line, k.range.start.character, k.range.end.line, k.range.end.character, k.how === 'front-matter' ? 1 : 0, k.missing]),
      items: items.map((i): CompactItem => {
        const { evidence, notApplicable, ...item } = i;
        const compact: CompactItem = { ...item, evidence: evidence.slice(0, 1).map((e) => ({ ...loc(e), term: e.term })), evidenceCount: evidence.length };
        if (notApplicable) {
          const { uri: _uri, range: _range, ...why } = notApplicable;
          compact.notApplicable = { ...loc(notApplicable), ...why };
        }
        return compact;
      }),
    };
    if (decidedAt) out.decidedAt = loc(decidedAt);
    return out;
  });
  return { ...coverage, format: 'compact', uris, controls };
}

/** An item of the expanded compact form knows how much evidence the full form has. */
export type ExpandedItem = ItemCoverage & { evidenceCount?: number };

/**
 * Turns the compact form back into the `Coverage` shape: claims without their heading text, items
 * with their first evidence and `evidenceCount`; `x1051/coverageDetails` gives the rest.
 */
export function expandCoverage(compact: CompactCoverage): Coverage {
  const { uris, format: _format, controls, ...rest } = compact;
  const loc = (l: CompactLocation): Location => ({ uri: uris[l.u] ?? '', range: { start: { line: l.r[0], character: l.r[1] }, end: { line: l.r[2], character: l.r[3] } } });
  return {
    ...rest,
    controls: controls.map((c): ControlCoverage => {
      const { claims, items, decidedAt, ...control } = c;
      const out: ControlCoverage = {
        ...control,
        claims: claims.map((k): ClaimCoverage => ({ ...loc({ u: k[0], r: [k[1], k[2], k[3], k[4]] }), how: k[5] === 1 ? 'front-matter' : 'heading', missing: k[6] })),
        items: items.map((i): ExpandedItem => {
          const { evidence, notApplicable, ...item } = i;
          const expanded: ExpandedItem = { ...item, evidence: evidence.map((e) => ({ ...loc(e), term: e.term })) };
          if (notApplicable) {
            const { u: _u, r: _r, ...why } = notApplicable;
            expanded.notApplicable = { ...loc(notApplicable), ...why };
          }
          return expanded;
        }),
      };
      if (decidedAt) out.decidedAt = loc(decidedAt);
      return out;
    }),
  };
}

/** True when a coverage answer is in the compact form. */
export function isCompactCoverage(value: unknown): value is CompactCoverage {
  return typeof value === 'object' && value !== null && (value as CompactCoverage).format === 'compact' && Array.isArray((value as CompactCoverage).uris);
}
