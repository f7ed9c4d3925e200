/**
 * Turns off one V8 heuristic, allocation-site pretenuring, for the whole process. V8 flags are
 * per process, so the analysis workers started later run without it too. Each entry point (the
 * server, the CLI, the analysis worker) imports this module first.
 *
 * Why: micromark builds a tokenizer per parse out of closures whose context objects point at
 * everything that parse makes (chunks, tokens, events). Once TurboFan has optimised
 * `createTokenizer`, V8's pretenuring feedback may decide that those contexts live long and
 * allocate them straight in the old generation. That happens in about one run in three with
 * concurrent compilation, and in every run without it. A scavenge treats every pointer from
 * the old generation as live, so each parse's whole output then survives scavenges and is
 * promoted, although it is garbage as soon as the document is analysed. Over the bench's
 * 1,000-policy corpus, the bytes promoted went from 40 MB to 340–370 MB, the old generation
 * grew 4–5 times larger between full collections, and the CLI's peak RSS went from about 150 to
 * about 260 MiB.
 *
 * This is not a cap: the heap still grows to whatever the live data needs. What changes is that
 * short-lived objects are allocated young and die young. `test/hardening/gcPromotion.test.ts`
 * counts the bytes promoted with compilation made synchronous, where the misjudgement always
 * happens.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
