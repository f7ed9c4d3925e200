/**
 * Reading workspace files without ever blocking or growing without bound (Node side, shared by
 * the server and the CLI).
 *
 * A path named `notes.md` may be a FIFO (a blocking read waits forever for a writer), a link to
 * `/dev/zero` (an endless stream) or to `/proc/kmsg` (a "regular" file of size 0 whose read
 * blocks). So a file is opened non-blocking, must be a regular file by `fstat` on the opened
 * descriptor (no race between the check and the read), must not live in a kernel pseudo file
 * system, and is read in bounded chunks up to a byte limit. The bytes are then decoded by the
 * service's `decodeText` (UTF-8, UTF-16 with a BOM, Shift_JIS, EUC-JP).
 */
import * as fs from 'node:fs';
import { decodeText, type NonUtf8Encoding } from './service/encoding';

/** Largest file read at all (a policy is never near this; `maxDocumentSize` applies after). */
export const READ_LIMIT = 64 * 1024 * 1024;
/** Largest config file read. */
export const CONFIG_READ_LIMIT = 1024 * 1024;

/** Why a file was not read: a short reason for messages, and the errno code when there is one. */
export class ReadError extends Error {
  override readonly name = 'ReadError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Kernel pseudo file systems: their "regular" files report size 0 and may block or never end. */
const PSEUDO_FS = /^\/(?:proc|sys|dev)(?:\/|$)/;

/**
 * The bytes of a regular file, at most `limit`. Throws a `ReadError` for anything else: a
 * folder, a FIFO, a socket, a device, a file under /proc, /sys or /dev, a file above the limit,
 * or an I/O error (its code).
 */
export function readRegularFile(file: string, limit = READ_LIMIT): Buffer {
  return readBytes(file, limit, false);
}

/**
 * Bytes of up to this many are read by `readTextFile` into one buffer kept for the purpose, since
 * they are decoded into a string at once. A buffer per file, freed only when V8 collects its
 * wrapper, cut the main thread's malloc heap into holes while the server read a workspace's
 * files one by one: after indexing 1,000 policies, glibc's main arena held 19–22 MiB, 11–15 of
 * them free but resident (read with `malloc_info`); with one buffer, 12–19 MiB, 6–10 free.
 */
const SCRATCH_BYTES = 256 * 1024;
/** The buffer `readTextFile` reads into (reads are synchronous, so never two at once; each thread has its own). */
let scratch: Buffer | undefined;

/** `readRegularFile`; with `intoScratch`, the result may be (a part of) `scratch`, valid until the next read. */
function readBytes(file: string, limit: number, intoScratch: boolean): Buffer {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    throw ioError(e);
  }
  if (process.platform !== 'win32' && PSEUDO_FS.test(real)) throw new ReadError(`not a regular file (it leads to ${real}), not read`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw ioError(e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new ReadError('a folder, not a file', 'EISDIR');
    if (!stat.isFile()) throw new ReadError(`not a regular file (${kindOf(stat)}), not read`);
    if (stat.size > limit) throw new ReadError(`too large to read (${mb(stat.size)} MB > ${mb(limit)} MB), not read`, 'EFBIG');
    // The size may be wrong (a file growing while read): read in chunks up to the limit, until a
    // read gives nothing. The first chunk is the announced size and one byte more, so a file read
    // whole needs no second buffer (the end is confirmed into a shared one-byte buffer); a policy's
    // read then allocates its own size, not a fixed 64 KiB twice.
    const chunks: Buffer[] = [];
    let total = 0;
    const take = (bytes: Buffer) => {
      chunks.push(bytes);
      total += bytes.length;
      if (total > limit) throw new ReadError(`too large to read (more than ${mb(limit)} MB), not read`, 'EFBIG');
    };
    let size = Math.max(stat.size + 1, 4 * 1024);
    for (;;) {
      const want = Math.min(size, limit + 1 - total, 4 * 1024 * 1024);
      const chunk = intoScratch && chunks.length === 0 && want <= SCRATCH_BYTES ? (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES)).subarray(0, want) : Buffer.allocUnsafe(want);
      const n = readInto(fd, chunk);
      if (n === 0) break;
      take(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (n < chunk.length) {
        const more = readInto(fd, PROBE);
        if (more === 0) break;
        take(Buffer.from(PROBE.subarray(0, more)));
      }
      size = Math.max(stat.size + 1 - total, 64 * 1024);
    }
    // More than one chunk: copied into one buffer of their own, so the scratch buffer is free again.
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** One byte, to confirm the end of a file whose read came short (reads are synchronous: never shared at once). */
const PROBE = Buffer.alloc(1);

function readInto(fd: number, buffer: Buffer): number {
  try {
    return fs.readSync(fd, buffer, 0, buffer.length, null);
  } catch (e) {
    throw ioError(e);
  }
}

/** A text file read and decoded; `encoding` is set when it was not UTF-8. */
export interface ReadText {
  text: string;
  encoding?: NonUtf8Encoding;
}

/**
 * Reads and decodes a text file (see `readRegularFile` and `decodeText`). Throws a `ReadError`
 * with the reason when the file cannot be read or is not text.
 */
export function readTextFile(file: string, limit = READ_LIMIT): ReadText {
  // Decoding copies the bytes into a string: the scratch buffer is not kept.
  const decoded = decodeText(readBytes(file, limit, true));
  if ('refused' in decoded) throw new ReadError(decoded.refused);
  return decoded;
}

function ioError(e: unknown): ReadError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof ReadError) return e;
  return new ReadError(code ? `cannot read (${code})` : `cannot read (${(e as Error)?.message ?? String(e)})`, code);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'a special file';
}

const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
