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
 * malloc still takes what it needs, and V8's heaps are not affected. Allocators other than glibc's
 * (macOS, Windows, musl) ignore the variable.
 */
import environment from './serverEnvironment.json';

/** The variables to add to the server's environment (see the module comment). */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = environment;
