/**
 * The server's stdio writer (server/src/stdioTransport.ts): each message is encoded in pieces whose
 * bytes are exactly `JSON.stringify`'s, so a large answer (the full coverage of 1,000 policies) is
 * never one multi-megabyte string; the pieces' memory is freed once written to a stream that
 * copies; the framing reads back with vscode-jsonrpc's own reader; the console goes to the
 * client's log. `test/lsp/coveragePayload.test.ts` reads a 5 MB full answer through it
 * from the bundled server.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessagePort } from 'node:worker_threads';
import { PassThrough, Writable } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { consoleToClient, encodeJsonPieces, PiecewiseMessageWriter, releasePieces, stdioRequested } from '../../server/src/stdioTransport';

const joined = (pieces: Buffer[]) => Buffer.concat(pieces).toString('utf8');

describe('stdio transport: messages written in pieces', () => {
  it('gives the bytes of JSON.stringify for every kind of value, at every piece size and depth', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const values: unknown[] = [
      null, 0, -0, 1.5, NaN, Infinity, true, 'text', '', '通信の秘密', 'quote " backslash \\ newline \n tab \t', '\u0000\u001f', '\ud800 lone', '😀',
      [], {}, [undefined, () => 1, Symbol('s'), null], { a: undefined, b: () => 1, c: Symbol('c'), d: 1 },
      { when: new Date(Date.UTC(2026, 11, 5)), nested: { deep: { deeper: [1, [2, [3, { e: 'f' }]]] } } },
      { point: new Point(1, 2), map: new Map([[1, 2]]), set: new Set([1]), proto: Object.create(null) },
      { toJSON: () => ({ replaced: true }) }, { inner: { toJSON: () => undefined }, after: 1 }, [{ toJSON: () => undefined }],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      { jsonrpc: '2.0', id: 7, result: { controls: Array.from({ length: 50 }, (_, i) => ({ id: `TEL.18.1.${i}`, title: { ja: '通信の秘密', en: 'Secrecy' }, items: [{ evidence: [{ uri: 'file:///p.md', range: { start: { line: i, character: 0 }, end: { line: i, character: 9 } } }] }] })) } },
    ];
    for (const value of values) {
      const expected = JSON.stringify(value);
      for (const pieceBytes of [1, 3, 64, 1 << 16]) {
        for (const depth of [0, 1, 2, 3, 6]) {
          const pieces = encodeJsonPieces(value, pieceBytes, depth);
          assert.equal(pieces.length === 0 ? undefined : joined(pieces), expected, `${expected?.slice(0, 60)} pieceBytes ${pieceBytes} depth ${depth}`);
        }
      }
    }
    for (const nothing of [undefined, () => 1, Symbol('x')]) assert.deepEqual(encodeJsonPieces(nothing), []);
  });

  it('throws what JSON.stringify throws: a cycle, a BigInt', () => {
    const cyclic: Record<string, unknown> = { a: { b: {} } };
    (cyclic.a as Record<string, Record<string, unknown>>).b.back = cyclic;
    assert.throws(() => encodeJsonPieces(cyclic), TypeError);
    assert.throws(() => encodeJsonPieces({ n: 1n }), TypeError);
  });

  it('never builds the whole message as one string: a 6 MB answer is pieces of at most 64 KiB, each with a buffer of its own', () => {
    const control = (i: number) => ({ id: `C${i}`, text: '通信の存在、通信の内容、通信の発信元、通信の宛先及び通信日時'.repeat(40), items: Array.from({ length: 20 }, (_, k) => ({ k, term: 'secrecy of communications' })) });
    const message = { jsonrpc: '2.0', id: 1, result: { controls: Array.from({ length: 2000 }, (_, i) => control(i)) } };
    const pieces = encodeJsonPieces(message);
    const whole = Buffer.byteLength(JSON.stringify(message), 'utf8');
    const largestPart = Buffer.byteLength(JSON.stringify(control(0)), 'utf8');
    assert.equal(Buffer.concat(pieces).length, whole);
    assert.ok(whole > 6_000_000, `${whole} bytes`);
    for (const p of pieces) assert.ok(p.length <= 1 << 16, `a piece of ${p.length} bytes`);
    // A piece is closed only when the next part does not fit in it.
    assert.ok(pieces.length <= whole / ((1 << 16) - largestPart) + 1, `${pieces.length} pieces`);
    // Never a slice of Node's shared pool, which releasePieces would take from other buffers.
    assert.equal(new Set(pieces.map((p) => p.buffer)).size, pieces.length);
    for (const p of pieces) assert.equal(p.byteOffset, 0);
    const small = encodeJsonPieces({ jsonrpc: '2.0', id: 1, result: null });
    assert.equal(small.length, 1);
    assert.notEqual(small[0].buffer, Buffer.from('pooled').buffer);
    // A part larger than a piece gets a piece of its own size.
    const large = encodeJsonPieces([control(0), 'x'], 1000, 1);
    assert.deepEqual(large.map((p) => p.length), [1, largestPart, 5]);
  });

  it('stringifies a coverage answer claim by claim and item by item, not control by control', () => {
    // The longest string made is one claim or one item: parts that small keep the Latin ones in
    // one byte per character, which is what makes the encoding fast (SPLIT_DEPTH).
    const evidence = (k: number) => ({ uri: `file:///p/policy-${k}.md`, range: { start: { line: k, character: 0 }, end: { line: k, character: 9 } }, term: k % 2 ? '通信の秘密' : 'secrecy' });
    const item = (k: number) => ({ id: `TEL.18.1.6(${k})`, subject: { ja: '通信の存在', en: 'existence' }, evidence: Array.from({ length: 30 }, (_, e) => evidence(e)) });
    const claim = (k: number) => ({ uri: `file:///p/policy-${k}.md`, how: 'heading', missing: ['TEL.18.1.6(a)'] });
    const control = (c: number) => ({ id: `TEL.18.1.${c}`, title: { ja: '通信の秘密', en: 'Secrecy' }, claims: Array.from({ length: 40 }, (_, k) => claim(k)), items: Array.from({ length: 5 }, (_, k) => item(k)) });
    const message = { jsonrpc: '2.0', id: 3, result: { controls: Array.from({ length: 20 }, (_, c) => control(c)), documents: [] } };
    const original = JSON.stringify;
    let longest = 0;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      const text = original(...args);
      if (typeof text === 'string') longest = Math.max(longest, text.length);
      return text;
    }) as typeof JSON.stringify;
    let pieces: Buffer[];
    try {
      pieces = encodeJsonPieces(message);
    } finally {
      JSON.stringify = original;
    }
    assert.equal(Buffer.concat(pieces).toString('utf8'), JSON.stringify(message));
    assert.equal(longest, JSON.stringify(item(0)).length);
    assert.ok(longest < JSON.stringify(control(0)).length / 5);
  });

  it('frees the pieces once a stream that copies has written them, and only with releaseWritten', async () => {
    const written: Buffer[] = [];
    const copies: Buffer[] = [];
    const copying = () =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          written.push(chunk);
          copies.push(Buffer.from(chunk));
          setImmediate(callback);
        },
      });
    const message = { jsonrpc: '2.0', id: 4, result: { controls: Array.from({ length: 400 }, (_, i) => ({ id: i, ja: '通信の秘密'.repeat(100) })) } } as unknown as Message;
    const text = JSON.stringify(message);
    const frame = `Content-Length: ${Buffer.byteLength(text, 'utf8')}\r\n\r\n${text}`;

    await new PiecewiseMessageWriter(copying(), { releaseWritten: true }).write(message);
    assert.equal(Buffer.concat(copies).toString('utf8'), frame);
    const pieces = written.filter((c) => c.buffer.byteLength === 0);
    // Every piece (all but the header) was detached: its memory is gone, not waiting for V8.
    assert.equal(pieces.length, written.length - 1);
    assert.ok(pieces.length >= 5, `${pieces.length} pieces`);

    written.length = 0;
    copies.length = 0;
    await new PiecewiseMessageWriter(copying()).write(message);
    assert.equal(Buffer.concat(written).toString('utf8'), frame);
  });

  it('the bundled server frees what it has written to stdout', () => {
    const code = readFileSync(join(__dirname, '..', '..', 'dist', 'server.js'), 'utf8');
    assert.match(code, /releaseWritten:(?:!0|true)\b/);
  });

  it('releasePieces gives the memory back at once', () => {
    const pieces = encodeJsonPieces({ result: Array.from({ length: 3000 }, () => '通信の秘密'.repeat(200)) });
    const bytes = pieces.reduce((n, p) => n + p.buffer.byteLength, 0);
    assert.ok(bytes > 3_000_000, `${bytes} bytes`);
    const before = process.memoryUsage().arrayBuffers;
    releasePieces(pieces);
    const after = process.memoryUsage().arrayBuffers;
    assert.ok(before - after >= bytes, `${before - after} of ${bytes} bytes freed`);
    for (const p of pieces) assert.equal(p.length, 0);
  });

  it('a runtime that refuses the transfer costs nothing but the early release: no throw, the bytes intact', () => {
    const pieces = encodeJsonPieces({ result: '通信の秘密'.repeat(5000) });
    const text = Buffer.concat(pieces).toString('utf8');
    const proto = MessagePort.prototype as unknown as { postMessage(...a: unknown[]): void };
    const original = proto.postMessage;
    proto.postMessage = () => {
      throw new Error('DataCloneError');
    };
    try {
      assert.doesNotThrow(() => releasePieces(pieces));
    } finally {
      proto.postMessage = original;
    }
    assert.equal(Buffer.concat(pieces).toString('utf8'), text);
  });

  it('frames messages that vscode-jsonrpc reads back, in order, without interleaving', async () => {
    const pipe = new PassThrough();
    const writer = new PiecewiseMessageWriter(pipe);
    const reader = new StreamMessageReader(pipe);
    const received: Message[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((m) => {
        received.push(m);
        if (received.length === 3) resolve();
      }),
    );
    const big = { jsonrpc: '2.0', id: 2, result: { controls: Array.from({ length: 3000 }, (_, i) => ({ id: i, ja: '秘密'.repeat(50) })) } } as unknown as Message;
    const sent = [{ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'é' } } as unknown as Message, big, { jsonrpc: '2.0', id: 3, result: null } as unknown as Message];
    await Promise.all(sent.map((m) => writer.write(m)));
    await all;
    assert.deepEqual(received, sent);
    reader.dispose();
    writer.dispose();
  });

  it('reports a failed write: the promise rejects and onError fires with the message', async () => {
    const broken = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('EPIPE')) });
    const writer = new PiecewiseMessageWriter(broken);
    const errors: unknown[] = [];
    writer.onError((e) => errors.push(e));
    await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: 1 } as unknown as Message), /EPIPE/);
    assert.ok(errors.length >= 1);
  });

  it('reads the transport as vscode-languageserver does', () => {
    const argv = (...a: string[]) => ['node', 'server.js', ...a];
    assert.equal(stdioRequested(argv('--stdio')), true);
    assert.equal(stdioRequested(argv('--clientProcessId=12', '--stdio')), true);
    assert.equal(stdioRequested(argv('--node-ipc')), false);
    assert.equal(stdioRequested(argv('--node-ipc', '--stdio')), false);
    assert.equal(stdioRequested(argv('--socket=5000', '--stdio')), false);
    assert.equal(stdioRequested(argv('--pipe', 'name')), false);
    assert.equal(stdioRequested(argv()), false);
  });

  it("sends what is written to the global console to the client's log, never to stdout", () => {
    const saved = { ...console };
    const out = process.stdout.write;
    let stdout = '';
    const logged: string[] = [];
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
    try {
      consoleToClient({ error: (m) => logged.push(`error ${m}`), warn: (m) => logged.push(`warn ${m}`), info: (m) => logged.push(`info ${m}`), log: (m) => logged.push(`log ${m}`) });
      console.log('log line', { n: 1 });
      console.info('info line');
      console.debug('debug line');
      console.warn('warn line');
      console.error('error line');
      console.dir({ dir: 1 });
      console.table([{ t: 1 }]);
      console.count('counted');
      console.group('grouped');
      console.groupEnd();
      console.assert(false, 'asserted');
      console.trace('traced');
    } finally {
      Object.assign(console, saved);
      process.stdout.write = out;
    }
    assert.equal(stdout, '');
    for (const line of ['log log line { n: 1 }', 'info info line', 'log debug line', 'warn warn line', 'error error line', 'log { dir: 1 }', 'counted: 1', 'grouped', 'asserted', 'log Trace: traced']) {
      assert.ok(logged.some((l) => l.includes(line)), `${line} in ${JSON.stringify(logged)}`);
    }
  });
});
