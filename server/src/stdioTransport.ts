/**
 * The server's messages over stdio (`--stdio`: Neovim, Helix, Emacs, the protocol tests, the
 * benchmark's client), written in pieces.
 *
 * vscode-jsonrpc's stream writer turns each message into one string (`JSON.stringify`) and that
 * string into one buffer. For the full `x1051/coverage` answer of 1,000 policies that is a string
 * of 4.7 million characters, stored two bytes per character since the answer holds Japanese text
 * (9.6 MiB in V8's large-object space), and a buffer of 4.7 MB outside the heap: about 15 MiB the
 * server holds until V8's next collection, which an idle server may not run for seconds. Here each
 * part near the top of the message (each element of an array or property of an object) is one
 * `JSON.stringify`, written straight into buffers of 64 KiB; the bytes are exactly those of
 * `JSON.stringify`, and no other string is made. That answer also encodes faster this way (42
 * against 65 ms, medians of 25, alternating, in one process): see `SPLIT_DEPTH`.
 *
 * Once stdout has written a message, its buffers are freed at once (`releasePieces`). Left to V8,
 * a buffer is freed when its wrapper is collected, and a wrapper that lived through a
 * young-generation collection while the message was written waits for the next full collection:
 * the answer's 4.7 MB stayed with the server between edits. Gathering the text of the pieces in
 * strings first, as this writer first did, also left it about 1 MiB of promoted strings per answer
 * (a sampling heap profile over 21 answers: 25 MiB in the old generation).
 *
 * Other transports keep the library's writer: Node's IPC channel (the VS Code extension) encodes
 * each message itself, and the extension asks for the compact coverage (0.6 MB).
 */
import { inspect, type InspectOptions } from 'node:util';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** Bytes of one piece: a part that does not fit in what is left of a piece starts the next. */
const PIECE_BYTES = 1 << 16;
/**
 * Levels below the message that are written part by part: the message, its `result` or `params`,
 * their arrays (controls, diagnostics, documents), each element's properties, and their arrays'
 * elements (a control's claims and items); below that, each part is one `JSON.stringify`. Small
 * parts keep the Latin ones (URIs, ranges, ids) in strings of one byte per character, which encode
 * to UTF-8 far faster than a part holding a single Japanese character. The full coverage of 1,000
 * policies took 65 ms to encode with parts at three levels (whole controls; the library's
 * whole-string way, 64 ms) and 42 ms at five (medians of 25, alternating, in one process); at six
 * and more the number of parts costs more than it saves.
 */
const SPLIT_DEPTH = 5;

/**
 * The UTF-8 bytes of `JSON.stringify(value)`, as buffers of at most `pieceBytes` bytes each (or
 * one part's size when a part below `depth` is larger). Each part's text is written straight into
 * its piece, so no string is made beyond each part's own `JSON.stringify`. Every piece has an
 * `ArrayBuffer` of its own, never one of Node's shared pool, so `releasePieces` may free it.
 * Throws what `JSON.stringify` throws (a cycle, a BigInt).
 */
export function encodeJsonPieces(value: unknown, pieceBytes = PIECE_BYTES, depth = SPLIT_DEPTH): Buffer[] {
  const out: Buffer[] = [];
  let piece: Buffer | undefined;
  let used = 0;
  const close = (): void => {
    if (piece !== undefined && used > 0) out.push(piece.subarray(0, used));
    piece = undefined;
    used = 0;
  };
  const emit = (text: string): void => {
    if (text.length === 0) return;
    // A UTF-16 code unit is at most three UTF-8 bytes: the exact count is needed only near the end.
    if (piece === undefined || 3 * text.length > piece.length - used) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (piece === undefined || bytes > piece.length - used) {
        close();
        piece = Buffer.allocUnsafeSlow(Math.max(pieceBytes, bytes));
      }
    }
    used += piece.write(text, used, 'utf8');
  };
  if (depth > 0 && splittable(value)) write(value, depth, emit);
  else {
    const text = JSON.stringify(value);
    // As JSON.stringify: undefined (and a function, a symbol) is no JSON text at all.
    if (text === undefined) return [];
    emit(text);
  }
  close();
  return out;
}

/**
 * Frees the memory of pieces made by `encodeJsonPieces` now, instead of when V8 next collects
 * their buffers (which, for buffers that outlived a young-generation collection while the message
 * was written, is the next full collection). Their `ArrayBuffer`s are detached by transferring
 * them to a closed port: the message is dropped, and what it holds with it. Only for pieces the
 * stream no longer needs: written by a stream that copies what it writes (a socket, a pipe, a
 * file, a terminal), after the write's callback.
 */
export function releasePieces(pieces: readonly Buffer[]): void {
  const buffers = new Set<ArrayBuffer>();
  for (const p of pieces) if (p.buffer.byteLength > 0) buffers.add(p.buffer as ArrayBuffer);
  if (buffers.size === 0) return;
  try {
    closedPort().postMessage(null, [...buffers]);
  } catch {
    // A runtime that refuses the transfer leaves the buffers to V8's collections, as before.
  }
}

let port: MessagePort | undefined;
function closedPort(): MessagePort {
  if (port === undefined) {
    const channel = new MessageChannel();
    channel.port1.close();
    channel.port2.close();
    port = channel.port1;
  }
  return port;
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

/**
 * A message writer for a byte stream (stdout) that encodes each message in pieces. With
 * `releaseWritten`, the pieces' memory is freed as soon as the stream has written them
 * (`releasePieces`): only for a stream that copies what it writes, such as `process.stdout`.
 */
export class PiecewiseMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;
  private readonly releaseWritten: boolean;

  constructor(
    private readonly stream: NodeJS.WritableStream & { cork?(): void; uncork?(): void },
    options: { releaseWritten?: boolean } = {},
  ) {
    super();
    this.releaseWritten = options.releaseWritten ?? false;
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
        // The last piece's callback comes after every earlier piece's.
        if (this.releaseWritten) releasePieces(pieces);
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
