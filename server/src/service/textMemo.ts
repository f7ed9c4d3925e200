/**
 * Results of pure functions of a text (a block's, a heading's), kept from one run over a document
 * to the next: an edit changes a few blocks, and the others' results are taken from the run before.
 * Each run keeps only what it used (`endRun`), so the memo never outgrows the document.
 *
 * A result must depend on nothing but the text and what `kind` names (a rule code, plus the
 * configuration it read, as text); it must not be changed by the caller. Texts are kept as given:
 * pass the strings the parse holds (a block's, a heading's), not slices of the whole document,
 * which V8 would keep alive with them.
 *
 * One map per kind holds every entry, stamped with the last run that used it; `endRun` deletes
 * the entries the run did not stamp. An edit's run is then one lookup per text, where a pair of
 * maps (this run's, the last run's) meant building a new map of every text for every run.
 */
export class TextMemo {
  private readonly kinds = new Map<string, Map<string, Entry>>();
  private run = 0;
  /** Results computed and results taken from memory since the counters were last reset (for tests: the work saved). */
  computed = 0;
  reused = 0;

  /** `compute(text)`, or its result from this run or the previous one. */
  get<T>(kind: string, text: string, compute: (text: string) => T): T {
    let entries = this.kinds.get(kind);
    if (!entries) this.kinds.set(kind, (entries = new Map()));
    const known = entries.get(text);
    if (known) {
      this.reused++;
      known.run = this.run;
      return known.value as T;
    }
    this.computed++;
    const value = compute(text);
    entries.set(text, { value, run: this.run });
    return value;
  }

  /** Ends a run: what it did not use is dropped. */
  endRun(): void {
    for (const [kind, entries] of this.kinds) {
      for (const [text, e] of entries) if (e.run !== this.run) entries.delete(text);
      if (entries.size === 0) this.kinds.delete(kind);
    }
    this.run++;
  }
}

interface Entry {
  value: unknown;
  run: number;
}
