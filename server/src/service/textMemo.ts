/**
 * Results of pure functions of a text (a block's, a heading's), kept from one run over a document
 * to the next: an edit changes a few blocks, and the others' results are taken from the run before.
 * Each run keeps only what it used (`endRun`), so the memo never outgrows the document.
 *
 * A result must depend on nothing but the text and what `kind` names (a rule code, plus the
 * configuration it read, as text); it must not be changed by the caller.
 */
export class TextMemo {
  private previous = new Map<string, Map<string, Entry>>();
  private current = new Map<string, Map<string, Entry>>();
  /** Results computed and results taken from memory since the counters were last reset (for tests: the work saved). */
  computed = 0;
  reused = 0;

  /** `compute(text)`, or its result from this run or the previous one. */
  get<T>(kind: string, text: string, compute: (text: string) => T): T {
    let now = this.current.get(kind);
    let entry = now?.get(text) ?? this.previous.get(kind)?.get(text);
    if (entry) this.reused++;
    else {
      this.computed++;
      // The key is a copy sharing no memory with `text`, which may be a slice of the whole
      // document (V8 keeps a slice's parent alive): a kept key must not keep an old version.
      entry = { key: (' ' + text).slice(1), value: compute(text) };
    }
    if (!now) this.current.set(kind, (now = new Map()));
    now.set(entry.key, entry);
    return entry.value as T;
  }

  /** Ends a run: what it did not use is dropped. */
  endRun(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

interface Entry {
  key: string;
  value: unknown;
}
