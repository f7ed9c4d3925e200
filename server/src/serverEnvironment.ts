/**
 * Environment variables the language server is started with, by the VS Code extension
 * (client/src/extension.ts) and by the benchmark's client (bench/lsp-client.mjs), which reads
 * `serverEnvironment.json` so that both start the server the same way. Other editors can set the
 * same variables in the server's environment (README.md, "Other editors").
 *
 * `MALLOC_ARENA_MAX=2`: glibc's allocator gives threads that allocate at the same time arenas of
 * their own, up to eight per CPU, and keeps what is freed in an arena for that arena. The server
 * has a main thread, its analysis workers and V8's background threads (compilation, garbage
 * collection): after indexing 1,000 policies its five arenas held 29–36 MiB, much of it freed
 * memory (read in `/proc/<pid>/smaps`). With two arenas the threads other than the main one share
 * one and reuse what the others freed: 25–26 MiB, and 2 s after indexing the server held 129–137
 * MiB instead of 138–147 MiB (six runs each, alternating; docs/performance.md). It is not a limit:
 * malloc still takes what it needs, and V8's heaps are not affected.
 *
 * `MALLOC_MMAP_THRESHOLD_=131072`: every block of 128 KiB or more is mapped on its own and returned
 * to the system when freed. Unset, glibc starts at the same 128 KiB but raises the threshold to
 * the size of each mapped block freed (up to 32 MiB), after which such blocks come from the heaps,
 * where freeing them leaves holes that only `malloc_trim` gives back. In the server those blocks
 * are mostly the zone segments of V8's optimising compiler: of the 240 blocks of 128–256 KiB
 * (40 MiB in all) allocated over the bench's sequence, 168 (27 MiB), read with an `LD_PRELOAD`
 * shim logging their stacks. They are freed when a compilation ends, between longer-lived
 * allocations. With 1,000 policies indexed, right after the edits of one: 129–144 MiB (median
 * 137; within 150 MB in 32 runs of 33) instead of 134–151 MiB (median 143; 18 of 33), the two
 * alternating. The cost: opening a 10,000-line policy in a new server took 1.24 instead of 1.13 s
 * to its first diagnostics (medians of 10, alternating), and start-up about 5 ms more; the edit of
 * that policy and the coverage after an edit did not change measurably. A threshold of 32 or 64 KiB
 * took about 10 MiB off too but made the 10,000-line edit's CPU 170–180 instead of 110 ms; 256 KiB
 * left the holes (129–148 MiB, median 143, five runs). It is not a limit: malloc still takes what
 * it needs. Allocators other than glibc's (macOS, Windows, musl) ignore both variables.
 */
import environment from './serverEnvironment.json';

/** The variables to add to the server's environment (see the module comment). */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = environment;
