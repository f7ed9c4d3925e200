// A small stdio LSP client for the benchmarks: it spawns the bundled server (`node dist/server.js
// --stdio`), answers what an editor answers (configuration, capability registration, progress
// tokens, refresh requests) and lets the bench await notifications instead of sleeping.
//
// It is plain JavaScript (the protocol tests' client in test/lsp/lspClient.ts is TypeScript and
// needs tsx), and it records arrival times with `performance.now()`, which latency needs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import rpc from 'vscode-jsonrpc/node';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Path of the bundled server. */
export const SERVER_PATH = join(ROOT, 'dist', 'server.js');
/** The variables the VS Code extension adds to the server's environment (server/src/serverEnvironment.ts). */
export const SERVER_ENVIRONMENT = JSON.parse(readFileSync(join(ROOT, 'server', 'src', 'serverEnvironment.json'), 'utf8'));

/** `file:` uri of a path. */
export const fileUri = (p) => pathToFileURL(p).href;

/** Resolves after `ms` milliseconds. */
export const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** One running server. */
export class LspClient {
  /** Clock ticks per second of /proc's times (sysconf(_SC_CLK_TCK); 100 on Linux). */
  static clockTicks = 100;

  /**
   * @param {import('node:child_process').ChildProcessWithoutNullStreams} child
   * @param {{ settings?: object }} options
   */
  constructor(child, options = {}) {
    this.child = child;
    this.settings = options.settings ?? {};
    /** Latest published diagnostics per uri: `{ version, diagnostics, at }`. */
    this.diagnostics = new Map();
    /** Number of publishDiagnostics received. */
    this.published = 0;
    /** Notifications received: `{ method, params, at }`. */
    this.notifications = [];
    /** Progress values per token (`begin` / `report` / `end`). */
    this.progress = [];
    this.stderr = '';
    this.waiters = [];
    this.exited = false;
    child.stderr.on('data', (d) => (this.stderr += d.toString()));
    child.on('exit', () => (this.exited = true));
    const c = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    this.connection = c;
    c.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'x1051' || i.section === undefined ? this.settings : null)));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('workspace/codeLens/refresh', () => null);
    c.onRequest('workspace/diagnostic/refresh', () => null);
    c.onRequest('window/showMessageRequest', () => null);
    c.onRequest('window/workDoneProgress/create', (p) => {
      // vscode-jsonrpc delivers $/progress to per-token handlers only.
      c.onProgress(new rpc.ProgressType(), p.token, (value) => {
        this.progress.push({ token: p.token, kind: value.kind, at: performance.now() });
        this.poke();
      });
      return null;
    });
    c.onNotification((method, params) => {
      const at = performance.now();
      if (method === 'textDocument/publishDiagnostics') {
        this.published++;
        this.diagnostics.set(params.uri, { version: params.version, diagnostics: params.diagnostics, at });
      }
      this.notifications.push({ method, params, at });
      this.poke();
    });
    c.listen();
  }

  /**
   * Spawns the server and runs the handshake. Returns the client and the milliseconds from spawn
   * to the `initialize` result.
   * `serverPath` (or X1051_BENCH_SERVER) runs another build of the server, e.g. an unminified one
   * for profiling; `nodeArgs` are passed to node (e.g. `--cpu-prof`).
   * @param {{ workspaceFolders?: string[], settings?: object, progress?: boolean, locale?: string, serverPath?: string, nodeArgs?: string[] }} [options]
   */
  static async start(options = {}) {
    const t0 = performance.now();
    const server = options.serverPath ?? process.env.X1051_BENCH_SERVER ?? SERVER_PATH;
    // Started as the VS Code extension starts it: with the variables it adds to the environment.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), server, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...SERVER_ENVIRONMENT } });
    const client = new LspClient(child, options);
    const folders = (options.workspaceFolders ?? []).map((f) => ({ uri: fileUri(f), name: basename(f) }));
    const result = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      locale: options.locale ?? 'en',
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders.length ? folders : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true } },
        window: { workDoneProgress: options.progress ?? true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        },
      },
    });
    const initializeMs = performance.now() - t0;
    const initializeCpuMs = client.cpuMs();
    await client.connection.sendNotification('initialized', {});
    return { client, result, initializeMs, initializeCpuMs };
  }

  /** The server's process id. */
  get pid() {
    return this.child.pid;
  }

  /**
   * CPU milliseconds (user + system, all threads) the server has used since it started, from
   * /proc/<pid>/stat (Linux; 10 ms resolution), or NaN elsewhere. On a shared machine the CPU a
   * request costs the server is a steadier figure than its wall-clock latency.
   */
  cpuMs() {
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat(5); f[0] is field 3.
      return ((Number(f[11]) + Number(f[12])) * 1000) / LspClient.clockTicks;
    } catch {
      return NaN;
    }
  }

  /** Resident set size and its peak, in MiB, from /proc (Linux only; undefined elsewhere). */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
      return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  /** Sends a request; resolves with `{ result, ms }` (send to response). */
  async timed(method, params) {
    const t0 = performance.now();
    const result = await this.connection.sendRequest(method, params);
    return { result, ms: performance.now() - t0 };
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  open(uri, text, version = 1) {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  /** An incremental edit: replaces `range` with `text`. */
  edit(uri, version, range, text) {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Waits until `check()` holds (re-checked on every message); rejects after `timeoutMs`. */
  waitFor(check, what, timeoutMs = 120000) {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { check, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out waiting for ${what}\nserver stderr:\n${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits for diagnostics of `uri` published for `version` (or any, when undefined); returns their arrival time. */
  async diagnosticsFor(uri, version, timeoutMs) {
    await this.waitFor(() => {
      const d = this.diagnostics.get(uri);
      return d !== undefined && (version === undefined || d.version === version);
    }, `diagnostics of ${uri} v${version}`, timeoutMs);
    return this.diagnostics.get(uri);
  }

  /** Waits for the next notification `method` after index `from` of `notifications`. */
  async notificationAfter(method, from, timeoutMs) {
    await this.waitFor(() => this.notifications.slice(from).some((n) => n.method === method), method, timeoutMs);
    return this.notifications.slice(from).find((n) => n.method === method);
  }

  /** Shuts down cleanly, killing the process if it does not exit within two seconds. */
  async stop() {
    if (!this.exited) {
      try {
        await Promise.race([this.request('shutdown', null), delay(2000)]);
        await this.notify('exit', null);
      } catch {
        // Already gone: the kill below is enough.
      }
      await Promise.race([new Promise((r) => this.child.once('exit', r)), delay(2000)]);
      if (!this.exited) this.child.kill();
    }
    this.connection.dispose();
  }

  poke() {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }
}
