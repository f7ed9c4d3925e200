/**
 * Lookups over the other editions mapped onto the catalogue: ISO/IEC 27002:2022 (93 controls,
 * `5.1`–`8.34`) and the TEL controls of ISO/IEC 27011:2024 whose numbers a public source states.
 *
 * Pure: no Node built-ins.
 */
import type { Catalog, EditionControl, EditionName } from './types';
import { compareIds } from './compile';

/** The edition a citation is read in. `2013` is X.1051:2016 / ISO/IEC 27002:2013 numbering. */
export type EditionChoice = '2013' | '2022';

/** Index of the other editions of one catalogue. */
export class EditionIndex {
  private readonly byId2022 = new Map<string, EditionControl>();
  private readonly byIdTel2024 = new Map<string, EditionControl>();
  private readonly successors = new Map<string, EditionControl[]>();
  private readonly tel2024By2016 = new Map<string, EditionControl>();

  /** @param catalog the compiled catalogue; absent editions give empty lookups. */
  constructor(readonly catalog: Catalog) {
    for (const c of catalog.editions?.['27002:2022']?.controls ?? []) {
      this.byId2022.set(c.id, c);
      for (const f of c.from) {
        const list = this.successors.get(f) ?? [];
        list.push(c);
        this.successors.set(f, list);
      }
    }
    for (const c of catalog.editions?.['27011:2024']?.controls ?? []) {
      const bare = c.id.replace(/ TEL$/, '');
      this.byIdTel2024.set(bare, c);
      for (const f of c.from) this.tel2024By2016.set(f, c);
    }
  }

  /** Every ISO/IEC 27002:2022 control in standard order. */
  controls2022(): EditionControl[] {
    return this.catalog.editions?.['27002:2022']?.controls ?? [];
  }

  /** Every ISO/IEC 27011:2024 TEL control whose number is known. */
  tel2024(): EditionControl[] {
    return this.catalog.editions?.['27011:2024']?.controls ?? [];
  }

  /** How many TEL controls ISO/IEC 27011:2024 has, when a source states it. */
  tel2024Total(): number | undefined {
    return this.catalog.editions?.['27011:2024']?.telControls;
  }

  /** The 2022 control with this id ("8.15"; "A.8.15" is not accepted here). */
  control2022(id: string): EditionControl | undefined {
    return this.byId2022.get(id);
  }

  /** The 27011:2024 TEL control numbered `id` ("5.42" or "5.42 TEL"), when its number is known. */
  controlTel2024(id: string): EditionControl | undefined {
    return this.byIdTel2024.get(id.replace(/ TEL$/, ''));
  }

  /** The 2022 controls an X.1051:2016 / 27002:2013 control maps to (12.4.1 → [8.15]). */
  successors2022(id2013: string): EditionControl[] {
    return this.successors.get(id2013) ?? [];
  }

  /** The 27011:2024 TEL control an X.1051:2016 TEL control became, when known. */
  tel2024Of(telId: string): EditionControl | undefined {
    return this.tel2024By2016.get(telId);
  }

  /**
   * The other edition's ids for an X.1051:2016 id: for an ISO control its 2022 successors, for a
   * TEL control its 2024 number when known.
   */
  counterparts(id2016: string): EditionControl[] {
    if (id2016.startsWith('TEL.')) {
      const t = this.tel2024Of(id2016);
      return t ? [t] : [];
    }
    return this.successors2022(id2016);
  }
}

/**
 * Writes a list of 2013 ids compactly, runs of consecutive controls of one objective joined by
 * an en dash: ["12.1.2", "14.2.2", "14.2.3", "14.2.4"] → "12.1.2, 14.2.2–14.2.4".
 */
export function formatIdRuns(ids: string[]): string {
  const sorted = [...ids].sort(compareIds);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    const prefix = (id: string) => id.slice(0, id.lastIndexOf('.'));
    const last = (id: string) => Number(id.slice(id.lastIndexOf('.') + 1));
    while (
      j + 1 < sorted.length &&
      prefix(sorted[j + 1]) === prefix(sorted[i]) &&
      last(sorted[j + 1]) === last(sorted[j]) + 1
    ) {
      j++;
    }
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "8.32 Change management ← 12.1.2, 14.2.2–14.2.4" (or "← new in 2022" for new controls). */
export function describeMapping(c: EditionControl, lang: 'ja' | 'en'): string {
  const from = c.from.length > 0 ? formatIdRuns(c.from) : lang === 'ja' ? '2022 年版で新設' : 'new in 2022';
  return `${c.id} ${c.title[lang]} ← ${from}`;
}

/** The edition names as written in messages. */
export const EDITION_LABEL: Record<EditionName, string> = {
  '27002:2022': 'ISO/IEC 27002:2022',
  '27011:2024': 'ISO/IEC 27011:2024',
};
