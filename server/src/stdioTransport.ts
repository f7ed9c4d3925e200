/**
 * The server's messages over stdio (`--stdio`: Neovim, Helix, Emacs, the protocol tests, the
 * benchmark's client), written in pieces.
 *
 * vscode-jsonrpc's stream writer turns each message into one string (`JSON.stringify`) and that
 * string into one buffer. For the full `x1051/coverage` answer of 1,000 policies that is a string
 * of 4.7 million characters, stored two bytes per character since the answer holds Japanese text
 * (9.6 MiB in V8's large-object space), and a buffer of 4.7 MB outside the heap: about 15 MiB the
 * server holds until V8's next collection, which an idle server may not run for seconds. Here the
 * message is encoded piece by piece (each element of an array or property of an object near the
 * top, the rest with `JSON.stringify`) into buffers of about 64 Ki characters, so the largest
 * string made is one such piece, or one part when a part is larger. The bytes are exactly those of
 * `JSON.stringify`; only the memory differs. The CPU time is about a tenth more (that answer: 43
 * against 39 ms): one `JSON.stringify` of every part, one UTF-8 encoding of every piece.
 *
 * Other transports keep the library's writer: Node's IPC channel (the VS Code extension) encodes
 * each message itself, and the extension asks for the compact coverage (0.6 MB).
 */
import { inspect, type InspectOptions } from 'node:util';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** Characters gathered before a piece is encoded into a buffer. */
const PIECE_CHARS = 1 << 16;
/**
 * Levels below the message that are written part by part: the message, its `result` or `params`,
 * their arrays (controls, diagnostics, documents); below that, each part is one `JSON.stringify`.
 */
const SPLIT_DEPTH = 3;

/**
 * The UTF-8 bytes of `JSON.stringify(value)`, as buffers of about `pieceChars` characters each
 * (more when one part below `depth` is larger). Throws what `JSON.stringify` throws (a cycle, a
 * BigInt).
 */
export function encodeJsonPieces(value: unknown, pieceChars = PIECE_CHARS, depth = SPLIT_DEPTH): Buffer[] {
  const out: Buffer[] = [];
  let pending = '';
  const emit = (text: string): void => {
    pending += text;
    if (pending.length >= pieceChars) {
      out.push(Buffer.from(pending, 'utf8'));
      pending = '';
    }
  };
  if (depth > 0 && splittable(value)) write(value, depth, emit);
  else {
    const text = JSON.stringify(value);
    // As JSON.stringify: undefined (and a function, a symbol) is no JSON text at all.
    if (text === undefined) return [];
    emit(text);
  }
  if (pending !== '') out.push(Buffer.from(pending, 'utf8'));
  return out;
}

/** True for what `JSON.stringify` writes as an object or array made of its own parts. */
function splittable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Writes `value` (splittable) as `JSON.stringify` would, in parts down to `depth` levels. */
function write(value: Record<string, unknown> | unknown[], depth: number, emit: (text: string) => void): void {
  // A part is written in parts itself when it is splittable and above the depth; else it is one
  // JSON.stringify, which gives undefined for what JSON leaves out (undefined, a function, a
  // symbol, or a toJSON that returns one of them).
  const part = (v: unknown): string | undefined => (depth > 1 && splittable(v) ? '' : JSON.stringify(v));
  if (Array.isArray(value)) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      const text = part(value[i]);
      if (text === '') write(value[i] as Record<string, unknown> | unknown[], depth - 1, emit);
      // As JSON.stringify: what it leaves out of an object is `null` in an array.
      else emit(text ?? 'null');
    }
    emit(']');
    return;
  }
  emit('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const text = part(v);
    if (text === undefined) continue;
    emit(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    if (text === '') write(v as Record<string, unknown> | unknown[], depth - 1, emit);
    else emit(text);
  }
  emit('}');
}

/** A message writer for a byte stream (stdout) that encodes each message in pieces. */
export class PiecewiseMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream & { cork?(): void; uncork?(): void }) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let pieces: Buffer[];
    try {
      pieces = encodeJsonPieces(msg);
    } catch (error) {
      this.fireError(error as Error);
      return Promise.reject(error);
    }
    let length = 0;
    for (const p of pieces) length += p.length;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null): void => {
        if (!error) return resolve();
        this.errorCount++;
        this.fireError(error, msg, this.errorCount);
        reject(error);
      };
      // Every piece is handed over before this returns, so two messages never interleave.
      this.stream.cork?.();
      this.stream.write(`Content-Length: ${length}\r\n\r\n`, 'ascii');
      for (let i = 0; i < pieces.length; i++) {
        if (i === pieces.length - 1) this.stream.write(pieces[i], done);
        else this.stream.write(pieces[i]);
      }
      if (pieces.length === 0) this.stream.write('', 'ascii', done);
      this.stream.uncork?.();
    });
  }

  end(): void {
    this.stream.end();
  }
}

/** Where `consoleToClient` sends the console's output: the connection's `console` (the client's log). */
export interface ClientLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

/**
 * Sends what is written through the global console to the client's log (`window/logMessage`), as
 * vscode-languageserver does when it opens stdio itself: over stdio, stdout carries only protocol
 * messages. The console's other methods (`table`, `count`, `group`, `time`…) write through these.
 */
export function consoleToClient(remote: ClientLog): void {
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = (...args: unknown[]) => remote.log(text(args));
  console.debug = (...args: unknown[]) => remote.log(text(args));
  console.info = (...args: unknown[]) => remote.info(text(args));
  console.warn = (...args: unknown[]) => remote.warn(text(args));
  console.error = (...args: unknown[]) => remote.error(text(args));
  console.dir = (value: unknown, options?: InspectOptions) => remote.log(inspect(value, options));
  console.trace = (...args: unknown[]) => remote.log(`Trace${args.length ? `: ${text(args)}` : ''}\n${(new Error().stack ?? '').split('\n').slice(2).join('\n')}`);
}

/**
 * True when the command line asks for stdio: its first transport argument is `--stdio`, read the
 * way vscode-languageserver reads it (`--node-ipc`, `--socket[=]`, `--pipe[=]` pick another).
 */
export function stdioRequested(argv: readonly string[] = process.argv): boolean {
  for (const arg of argv.slice(2)) {
    if (arg === '--stdio') return true;
    const name = arg.split('=')[0];
    if (name === '--node-ipc' || name === '--socket' || name === '--pipe') return false;
  }
  return false;
}
