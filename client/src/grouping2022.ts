/**
 * Grouping of the coverage sidebar by ISO/IEC 27002:2022 (pure: no `vscode`, unit-tested): one
 * group per 2022 control in 2022 order, holding the X.1051:2016 controls it maps from that the
 * filter keeps. A 2013 control mapped to two 2022 controls (18.2.3) appears under both.
 */
import { type ClientCatalog, type Lang, pick } from './catalog';

/** One 2022 control and the X.1051:2016 controls shown under it. */
export interface Group2022 {
  /** "8.15". */
  id: string;
  /** "8.15 Logging". */
  title: string;
  /** Every X.1051:2016 control it maps from (empty for controls new in 2022). */
  from: string[];
  /** Those the filter keeps. */
  controls: string[];
}

/**
 * The 2022 groups. `keep` is the sidebar's filter; `showNew` also keeps the controls new in 2022
 * (no X.1051 control to show, so only with the "all controls" filter). Empty when the catalogue
 * has no 2022 edition.
 */
export function groups2022(catalog: ClientCatalog, keep: (id: string) => boolean, lang: Lang, showNew: boolean): Group2022[] {
  const out: Group2022[] = [];
  for (const c of catalog.catalog.editions?.['27002:2022']?.controls ?? []) {
    const controls = c.from.filter(keep);
    if (controls.length === 0 && !(showNew && c.from.length === 0)) continue;
    out.push({ id: c.id, title: `${c.id} ${pick(c.title, lang)}`, from: [...c.from], controls });
  }
  return out;
}
