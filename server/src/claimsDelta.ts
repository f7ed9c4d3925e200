/**
 * The claims of a worker's answer sent as a difference from its previous answer for the same
 * document: a claim equal to one of the previous answer goes as that claim's index there, and the
 * receiver, which holds the previous answer's claims, puts its own object back in its place.
 *
 * Claims are most of an analysis (0.74 of 0.94 MB for a 10,000-line policy), and an edit leaves
 * nearly all of them as they were. The structured clone that carries an answer between threads
 * is paid twice, serialising in the worker and deserialising on the main thread, where it holds up
 * every other request: measured on the server, about 40 ms of the 10,000-line edit went there.
 *
 * Equality is exact: the same keys in the same order and the same values, so the receiver's
 * analysis is the one a full answer would have given it (a claim's lines change when lines are
 * added above it, and the claim then goes in full).
 */
import type { Claim } from './service';

/** The claims of one answer as the worker sent them (item ids, not catalogue items), and its number. */
export interface SentClaims {
  token: number;
  claims: readonly Claim[];
}

/** `claims` with every claim equal to one of `base` given as its index in `base`. */
export function claimsDelta(base: readonly Claim[], claims: readonly Claim[]): Array<Claim | number> {
  let bySignature: Map<string, number[]> | undefined;
  return claims.map((claim, i) => {
    // Most claims sit where they were; others are looked up by where they start.
    if (i < base.length && sameValue(base[i], claim)) return i;
    bySignature ??= signatures(base);
    for (const k of bySignature.get(signature(claim)) ?? []) if (sameValue(base[k], claim)) return k;
    return claim;
  });
}

/**
 * The claims of an answer from its difference (`claimsDelta`) and the claims of the answer it was
 * made against, as the receiver holds them (the same objects). Throws on an index `base` lacks.
 */
export function claimsFromDelta(base: readonly Claim[], delta: ReadonlyArray<Claim | number>): { claims: Claim[]; reused: number } {
  let reused = 0;
  const claims = delta.map((c) => {
    if (typeof c !== 'number') return c;
    const claim = base[c];
    if (claim === undefined) throw new Error(`the analysis worker named claim ${c} of an answer of ${base.length} claims`);
    reused++;
    return claim;
  });
  return { claims, reused };
}

function signature(c: Claim): string {
  return `${c.control}\u0000${c.how}\u0000${c.range.start.line}:${c.range.start.character}`;
}

function signatures(claims: readonly Claim[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  claims.forEach((c, k) => {
    const s = signature(c);
    const list = out.get(s);
    if (list) list.push(k);
    else out.set(s, [k]);
  });
  return out;
}

/** Equal JSON-like values: the same primitives, arrays of equal elements, objects with the same keys in the same order and equal values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}
