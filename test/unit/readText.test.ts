/**
 * Reading a workspace file (issue #13, memory): a file is read into one buffer of its own size,
 * its end confirmed with a one-byte read, instead of two 64 KiB buffers per file; a size that is
 * wrong (a file growing while read) still gives every byte. A text file is read into one buffer
 * kept for the purpose, since its bytes are decoded into a string at once.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { readRegularFile, readTextFile } from '../../server/src/readText';

/** The fs module object itself (the import above is a read-only view of it), to stand in for fstat. */
const nodeFs = createRequire(__filename)('node:fs') as { fstatSync: typeof fs.fstatSync };

describe('reading a file into a buffer of its own size (issue #13, memory)', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-read-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 97 + (i % 26)));
  const write = (name: string, data: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    return file;
  };

  /** Counts the buffers `Buffer.allocUnsafe` hands out (and their bytes) while `f` runs. */
  function counting<T>(f: () => T): { result: T; buffers: number; bytes: number } {
    const original = Buffer.allocUnsafe;
    let buffers = 0;
    let total = 0;
    Buffer.allocUnsafe = ((n: number) => (buffers++, (total += n), original(n))) as typeof Buffer.allocUnsafe;
    try {
      return { result: f(), buffers, bytes: total };
    } finally {
      Buffer.allocUnsafe = original;
    }
  }

  for (const n of [0, 1, 4095, 4096, 4097, 65535, 65536, 65537, 300_000, 5 * 1024 * 1024 + 3]) {
    it(`reads a file of ${n} bytes whole, in one buffer of at most its size plus 4 KiB`, () => {
      const data = bytes(n);
      const file = write(`f${n}.md`, data);
      const { result, buffers, bytes: allocated } = counting(() => readRegularFile(file));
      assert.ok(result.equals(data));
      if (n < 4 * 1024 * 1024) {
        assert.equal(buffers, 1, 'one buffer');
        assert.ok(allocated <= Math.max(n + 1, 4096), `${allocated} bytes allocated`);
      }
    });
  }

  it('a size announced too small (a file growing while read) still gives every byte', () => {
    const data = bytes(200_000);
    const file = write('growing.md', data);
    const original = nodeFs.fstatSync;
    nodeFs.fstatSync = ((fd: number) => Object.assign(original(fd), { size: 10 })) as typeof fs.fstatSync;
    try {
      const { result, buffers } = counting(() => readRegularFile(file));
      assert.ok(result.equals(data));
      assert.ok(buffers > 1, 'read in several chunks (the announced size was used)');
      assert.equal(readTextFile(file).text, data.toString('utf8'));
    } finally {
      nodeFs.fstatSync = original;
    }
  });

  it('reads text files into one kept buffer: no buffer per file, and no text or bytes handed out before are changed', () => {
    const files = Array.from({ length: 50 }, (_, i) => write(`t${i}.md`, Buffer.from(`# 第${i}条 通信の秘密\n${'本文。'.repeat(20 + i)}\n`)));
    const raw = readRegularFile(files[0]);
    const rawCopy = Buffer.from(raw);
    readTextFile(files[1]);
    const { result: texts, buffers } = counting(() => files.map((f) => readTextFile(f).text));
    assert.equal(buffers, 0, 'no buffer allocated per file');
    texts.forEach((text, i) => assert.equal(text, fs.readFileSync(files[i], 'utf8')));
    // What readRegularFile gave is the caller's own: later reads do not write into it.
    assert.ok(raw.equals(rawCopy));
    // A file larger than the kept buffer gets its own, and is read whole.
    const large = write('large.md', bytes(300_000));
    const { result, buffers: largeBuffers } = counting(() => readTextFile(large).text);
    assert.equal(result, bytes(300_000).toString('utf8'));
    assert.equal(largeBuffers, 1);
    assert.equal(readTextFile(files[3]).text, fs.readFileSync(files[3], 'utf8'));
  });

  it('still refuses a file above the limit, however its size is announced', () => {
    const file = write('big.md', bytes(5000));
    const original = nodeFs.fstatSync;
    nodeFs.fstatSync = ((fd: number) => Object.assign(original(fd), { size: 100 })) as typeof fs.fstatSync;
    try {
      assert.throws(() => readRegularFile(file, 4000), /too large to read/);
    } finally {
      nodeFs.fstatSync = original;
    }
    assert.throws(() => readRegularFile(file, 4000), /too large to read/);
  });
});
