/**
 * Results of pure functions of a text (a block's, a heading's), kept from one run over a document
 * to the next: an edit changes a few blocks, and the others' results are taken from the run before.
 * Each run keeps only what it used (`endRun`), so the memo never outgrows the document.
 *
 * A result must depend on nothing but the text and what `kind` names (a rule code, plus the
 * configuration it read, as text); it must not be changed by the caller. Texts are kept as given:
 * pass the strings the parse holds (a block's, a heading's), not slices of the whole document,
 * which V8 would keep alive with them.
 */
export class TextMemo {
  private previous = new Map<string, Map<string, unknown>>();
  private current = new Map<string, Map<string, unknown>>();
  /** Results computed and results taken from memory since the counters were last reset (for tests: the work saved). */
  computed = 0;
  reused = 0;

  /** `compute(text)`, or its result from this run or the previous one. */
  get<T>(kind: string, text: string, compute: (text: string) => T): T {
    let now = this.current.get(kind);
    const known = now?.has(text) ? now : this.previous.get(kind);
    let value: T;
    if (known?.has(text)) {
      this.reused++;
      value = known.get(text) as T;
    } else {
      this.computed++;
      value = compute(text);
    }
    if (!now) this.current.set(kind, (now = new Map()));
    now.set(text, value);
    return value;
  }

  /** Ends a run: what it did not use is dropped. */
  endRun(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
