/**
 * Issue #11 in the CLI, run as a user would (`node bin/x1051.js`): special files (1), deep
 * nesting (4), the exit-code contract (8), unreadable paths (9), terminal injection (10),
 * encodings (11), SARIF uris (12), closed pipes and YAML library noise (13). Each case fails
 * for root too: where only permissions can make a path unreadable, the CLI runs as `nobody`.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureCatalog } from '../helpers/fixtureCatalog';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');
const GOOD = '## Secrecy (TEL.18.1.6)\n\nWe protect the existence of communications, the content of communications, the sender, the recipient and the date and time.\n';
const ESC = '\x1b';

describe('hardening: x1051 check never blocks and keeps its contract (#11)', function () {
  this.timeout(60000);
  let tmp: string;
  let catalogFile: string;
  const write = (rel: string, data: string | Buffer) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    return p;
  };
  /** Runs the CLI; a 20 s kill timer turns a hang into a failure (signal set, status null). */
  const run = (args: string[], extra: SpawnSyncOptions = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--catalog', catalogFile], { cwd: tmp, encoding: 'utf8', timeout: 20000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' }, ...extra });
    assert.equal(r.signal, null, `the CLI hung and was killed (${args.join(' ')})`);
    return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const checkedPaths = (stdout: string) => (JSON.parse(stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path);
  const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('x1051'));

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-cli-holes-'));
    catalogFile = path.join(tmp, 'catalog.json');
    fs.writeFileSync(catalogFile, JSON.stringify(fixtureCatalog()));
    write('ok.md', GOOD);
  });
  afterEach(() => {
    spawnSync('chmod', ['-R', 'u+rwX', tmp]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('(1) special files', () => {
    it('a FIFO notes.md, zero.md → /dev/zero and policy.md → /proc/kmsg: each named, never read, the rest checked, exit 2', () => {
      execFileSync('mkfifo', [path.join(tmp, 'notes.md')]);
      fs.symlinkSync('/dev/zero', path.join(tmp, 'zero.md'));
      fs.symlinkSync('/proc/kmsg', path.join(tmp, 'policy.md'));
      const walked = run(['check', '--format', 'json']);
      assert.equal(walked.code, 2);
      assert.match(walked.stderr, /notes\.md: not a regular file \(a FIFO\)/);
      assert.match(walked.stderr, /zero\.md: not a regular file/);
      assert.match(walked.stderr, /policy\.md: not a regular file \(it leads to \/proc\/kmsg\)/);
      assert.deepEqual(checkedPaths(walked.stdout), ['ok.md']);
      const named = run(['check', 'notes.md', 'zero.md', 'policy.md', 'ok.md', '--format', 'json']);
      assert.equal(named.code, 2);
      assert.equal(errorLines(named.stderr).length, 3, named.stderr);
      assert.deepEqual(checkedPaths(named.stdout), ['ok.md']);
    });

    it('--config <fifo> and --config /dev/zero: one line, exit 2, no hang', () => {
      execFileSync('mkfifo', [path.join(tmp, 'cfg.yaml')]);
      for (const cfg of ['cfg.yaml', '/dev/zero']) {
        const r = run(['check', 'ok.md', '--config', cfg]);
        assert.equal(r.code, 2, cfg);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, /not a regular file/);
      }
    });
  });

  describe('(3) hostile globs', () => {
    it('a 20,000-character brace glob and 100,000 globs are refused with findings; 200 files are checked as usual', () => {
      for (let i = 0; i < 200; i++) write(`docs/p${i}.md`, GOOD);
      write('docs/.x1051.yaml', `exclude: ["${'{a,b}'.repeat(8)}${'c'.repeat(20000)}"]\n`);
      const r = run(['check', 'docs', '--format', 'json']);
      const out = JSON.parse(r.stdout) as { files: unknown[]; configs: Array<{ diagnostics: Array<{ code: string; message: string }> }> };
      assert.equal(out.files.length, 200);
      assert.ok(out.configs[0].diagnostics.some((d) => d.code === 'invalid-config' && /at most 512/.test(d.message)), JSON.stringify(out.configs));
      // 100,000 short globs (flow style keeps the file under the 1 MB config read limit).
      write('docs/.x1051.yaml', `exclude: [${Array.from({ length: 100000 }, (_, i) => 'x' + i.toString(36)).join(',')}]\n`);
      const many = run(['check', 'docs', '--format', 'json']);
      const outMany = JSON.parse(many.stdout) as { files: unknown[]; configs: Array<{ diagnostics: Array<{ code: string; message: string }> }> };
      assert.equal(outMany.files.length, 200);
      assert.ok(outMany.configs[0].diagnostics.some((d) => d.code === 'invalid-config' && /100000 globs \(at most 256\)/.test(d.message)), JSON.stringify(outMany.configs).slice(0, 500));
    });
  });

  describe('(4) deep nesting', () => {
    it('> ×10,000 and "- " ×10,000: one document-too-complex finding each, the other files checked and reported', () => {
      write('quotes.md', '>'.repeat(10000) + ' TEL.18.1.6\n');
      write('list.md', '- '.repeat(10000) + 'x\n');
      const r = run(['check', 'quotes.md', 'list.md', 'ok.md', '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string }> }> };
      assert.deepEqual(out.files.map((f) => f.path), ['list.md', 'ok.md', 'quotes.md']);
      for (const f of out.files.filter((x) => x.path !== 'ok.md')) assert.deepEqual(f.diagnostics.map((d) => d.code), ['document-too-complex'], f.path);
      assert.ok(!out.files.find((f) => f.path === 'ok.md')!.diagnostics.some((d) => d.code === 'document-too-complex'));
    });
  });

  describe('(8) exit codes', () => {
    it('a catalogue that is not JSON, not a catalogue, or a FIFO: exit 2, one line, none of its bytes echoed', () => {
      fs.writeFileSync(catalogFile, 'SECRET-BYTES-ABC {{{');
      const r = run(['check', 'ok.md']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /SECRET|ABC/);
      fs.writeFileSync(catalogFile, '{"SECRET": 1}');
      const shape = run(['show', 'TEL.18.1.6']);
      assert.equal(shape.code, 2);
      assert.equal(shape.stderr.trim().split('\n').length, 1, shape.stderr);
      fs.rmSync(catalogFile);
      execFileSync('mkfifo', [catalogFile]);
      const fifo = run(['catalog']);
      assert.equal(fifo.code, 2);
      assert.match(fifo.stderr, /not a regular file/);
    });

    it('usage and I/O errors exit 2; an unknown command and a missing --config too', () => {
      assert.equal(run(['check', '--format', 'xml']).code, 2);
      assert.equal(run(['nope']).code, 2);
      const cfg = run(['check', 'ok.md', '--config', 'missing.yaml']);
      assert.equal(cfg.code, 2);
      assert.match(cfg.stderr, /config file not found: missing\.yaml/);
    });
  });

  describe('(9) unreadable paths', () => {
    // Root reads anything: the CLI then runs as nobody, for whom mode 000 means unreadable.
    const asOther: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const openUp = () => {
      for (let d = tmp; d !== path.dirname(d); d = path.dirname(d)) if (d.startsWith(os.tmpdir()) && d !== os.tmpdir()) fs.chmodSync(d, 0o755);
      fs.chmodSync(catalogFile, 0o644);
    };

    it('an unreadable sub-folder is reported, the rest checked, exit 2', () => {
      write('a/one.md', GOOD);
      write('locked/two.md', GOOD);
      write('z/three.md', GOOD);
      openUp();
      for (const f of ['ok.md', 'a/one.md', 'z/three.md']) fs.chmodSync(path.join(tmp, f), 0o644);
      for (const d of ['a', 'z']) fs.chmodSync(path.join(tmp, d), 0o755);
      fs.chmodSync(path.join(tmp, 'locked'), 0o000);
      const r = run(['check', '--format', 'json'], asOther);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /locked: cannot read this folder \(EACCES\)/);
      assert.deepEqual(checkedPaths(r.stdout), ['a/one.md', 'ok.md', 'z/three.md']);
    });

    it('an unreadable .x1051.yaml under one path is reported once; the other paths are checked, exit 2', () => {
      write('a/one.md', GOOD);
      write('a/more.md', GOOD);
      write('a/.x1051.yaml', 'language: en\n');
      write('b/two.md', GOOD);
      openUp();
      for (const f of ['ok.md', 'a/one.md', 'a/more.md', 'b/two.md']) fs.chmodSync(path.join(tmp, f), 0o644);
      for (const d of ['a', 'b']) fs.chmodSync(path.join(tmp, d), 0o755);
      fs.chmodSync(path.join(tmp, 'a', '.x1051.yaml'), 0o000);
      const r = run(['check', 'a', 'b', 'ok.md', '--format', 'json'], asOther);
      assert.equal(r.code, 2, r.stderr);
      const lines = errorLines(r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /a\/\.x1051\.yaml: cannot read \(EACCES\); the files it governs are not checked/);
      assert.deepEqual(checkedPaths(r.stdout), ['b/two.md', 'ok.md']);
    });
  });

  describe('(10) terminal injection', () => {
    it('control characters in directive arguments and file names are escaped in stylish output, to a pipe or not', () => {
      write('evil.md', `# Policy\n\n<!-- x1051-disable ${ESC}]0;PWNED\x07${ESC}[2J -->\n\nTEL.18.1.66\n`);
      write(`name${ESC}[2K\r.md`, 'TEL.18.1.66\n');
      const r = run(['check']);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(!r.stdout.includes(ESC) && !r.stdout.includes('\x07') && !r.stdout.includes('\r'), JSON.stringify(r.stdout));
      assert.match(r.stdout, /name\\x1b\[2K\\x0d\.md/);
      assert.match(r.stdout, /\\x1b\]0;PWNED\\x07/);
      const missing = run(['check', `gone${ESC}[2J.md`]);
      assert.ok(!missing.stderr.includes(ESC), JSON.stringify(missing.stderr));
    });
  });

  describe('(11) encodings', () => {
    it('Shift_JIS, EUC-JP and UTF-16 files are decoded with one file-encoding finding and the same findings as UTF-8', () => {
      const ja = '## 通信の秘密 (TEL.18.1.6)\n\n通信の存在と内容を保護する。TEL.18.1.66 も参照。\n';
      write('utf8.md', ja);
      write('sjis.md', execFileSync('iconv', ['-f', 'UTF-8', '-t', 'SHIFT_JIS'], { input: ja }));
      write('euc.md', execFileSync('iconv', ['-f', 'UTF-8', '-t', 'EUC-JP'], { input: ja }));
      write('utf16.md', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ja, 'utf16le').swap16()]));
      const r = run(['check', 'utf8.md', 'sjis.md', 'euc.md', 'utf16.md', '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      type Out = { files: Array<{ path: string; diagnostics: Array<{ code: string; severity: string; message: string; range: unknown }> }> };
      const files = (JSON.parse(r.stdout) as Out).files;
      const utf8 = files.find((f) => f.path === 'utf8.md')!.diagnostics;
      assert.ok(utf8.length > 0);
      assert.ok(!utf8.some((d) => d.code === 'file-encoding'));
      for (const [name, label] of [['sjis.md', 'Shift_JIS'], ['euc.md', 'EUC-JP'], ['utf16.md', 'UTF-16 BE']]) {
        const d = files.find((f) => f.path === name)!.diagnostics;
        const enc = d.filter((x) => x.code === 'file-encoding');
        assert.equal(enc.length, 1, name);
        assert.equal(enc[0].severity, 'information');
        assert.ok(enc[0].message.includes(label) && /UTF-8/.test(enc[0].message), enc[0].message);
        assert.deepEqual(d.filter((x) => x.code !== 'file-encoding'), utf8, name);
      }
    });
  });

  describe('(12) SARIF uris', () => {
    it('policy#2.md, faq?.md and a space are encoded by a file-uri encoder, relative to %SRCROOT%', () => {
      write('policy#2.md', 'TEL.18.1.66\n');
      write('faq?.md', 'TEL.18.1.66\n');
      write('my notes/100%.md', 'TEL.18.1.66\n');
      const r = run(['check', '--format', 'sarif']);
      const sarif = JSON.parse(r.stdout) as { runs: Array<{ originalUriBaseIds?: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };
      const uris = new Set(sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
      for (const u of ['faq%3F.md', 'my%20notes/100%25.md', 'policy%232.md']) assert.ok(uris.has(u), `${u} in ${[...uris].join(', ')}`);
      assert.ok(![...uris].some((u) => /[#? ]/.test(u)), [...uris].join(', '));
      const base = sarif.runs[0].originalUriBaseIds?.['%SRCROOT%']?.uri;
      assert.ok(base && new URL('policy%232.md', base).pathname.endsWith('/policy%232.md'));
      assert.equal(fileURLToPath(new URL('faq%3F.md', base)), path.join(fs.realpathSync(tmp), 'faq?.md'));
    });
  });

  describe('(13) closed pipes and library noise', () => {
    it('coverage --format json | head -1 exits quietly (no EPIPE stack trace)', () => {
      for (let i = 0; i < 40; i++) write(`p${i}.md`, GOOD);
      const errFile = path.join(tmp, 'err.txt');
      const r = spawnSync('bash', ['-c', `node "${BIN}" coverage --format json --catalog "${catalogFile}" 2>"${errFile}" | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: tmp, encoding: 'utf8', timeout: 20000 });
      assert.equal(r.signal, null);
      assert.equal(fs.readFileSync(errFile, 'utf8'), '', 'nothing on stderr');
      assert.match(r.stdout.trim(), /^(0|141)$/, `exit status ${r.stdout}`);
    });

    it('a collection key and a multi-document config become invalid-config findings, no raw library warning', () => {
      write('keys/.x1051.yaml', 'language: en\n? [a, b]\n: 1\n');
      write('keys/a.md', GOOD);
      write('multi/.x1051.yaml', 'language: en\n---\nlanguage: ja\n');
      write('multi/a.md', GOOD);
      const r = run(['check', 'keys', 'multi', '--format', 'json']);
      assert.doesNotMatch(r.stderr, /Warning|parseAllDocuments|stringified/);
      const out = JSON.parse(r.stdout) as { configs: Array<{ path: string; diagnostics: Array<{ code: string; message: string }> }> };
      const keys = out.configs.find((c) => c.path === 'keys/.x1051.yaml')!.diagnostics;
      assert.ok(keys.some((d) => d.code === 'invalid-config' && /not a list or a mapping/.test(d.message)), JSON.stringify(keys));
      const multi = out.configs.find((c) => c.path === 'multi/.x1051.yaml')!.diagnostics;
      assert.ok(multi.some((d) => d.code === 'invalid-config' && /more than one YAML document/.test(d.message)), JSON.stringify(multi));
      assert.ok(!multi.some((d) => /parseAllDocuments/.test(d.message)));
    });
  });
});

describe('x1051 check in worker threads (#11, #13)', function () {
  this.timeout(120000);
  const runIn = (cwd: string, args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.signal, null, `the CLI hung (${args.join(' ')})`);
    return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  it('gives byte-identical output with --jobs 2 and on the main thread (--jobs 0), in every format', () => {
    for (const format of ['json', 'sarif', 'stylish']) {
      const single = runIn(ROOT, ['check', 'examples', '--format', format, '--today', '2026-01-01', '--jobs', '0']);
      const parallel = runIn(ROOT, ['check', 'examples', '--format', format, '--today', '2026-01-01', '--jobs', '2']);
      assert.equal(parallel.code, single.code, format);
      assert.equal(parallel.stdout, single.stdout, format);
      assert.equal(parallel.stderr, single.stderr, format);
    }
    const cov0 = runIn(ROOT, ['coverage', 'examples', '--format', 'json', '--jobs', '0']);
    const cov2 = runIn(ROOT, ['coverage', 'examples', '--format', 'json', '--jobs', '2']);
    assert.equal(cov2.stdout, cov0.stdout);
  });

  it('a document past the time budget gets one document-too-complex finding naming the limit, in a worker and on the main thread; the others are checked', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-budget-'));
    try {
      // A list nested 2,000 deep by indentation: minutes of parsing, and under the nesting guard.
      // Between quick documents, so that on the main thread it starts in the middle of a slice.
      fs.writeFileSync(path.join(tmp, 'm-slow.md'), Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n') + '\n');
      for (const name of ['a-ok.md', 'b-ok.md', 'z-ok.md']) fs.writeFileSync(path.join(tmp, name), GOOD);
      const outputs: string[] = [];
      for (const jobs of ['2', '0']) {
        const r = runIn(tmp, ['check', '--format', 'json', '--jobs', jobs, '--timeout', '1000']);
        assert.equal(r.code, 1, r.stderr);
        const out = JSON.parse(r.stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string; message: string }> }> };
        const slow = out.files.find((f) => f.path === 'm-slow.md')!.diagnostics;
        assert.deepEqual(slow.map((d) => d.code), ['document-too-complex'], `--jobs ${jobs}`);
        assert.match(slow[0].message, /longer than the limit of 1 s/);
        assert.deepEqual(out.files.map((f) => f.path), ['a-ok.md', 'b-ok.md', 'm-slow.md', 'z-ok.md']);
        outputs.push(r.stdout);
      }
      // The main thread, interrupted and given a new service, reports what the workers report.
      assert.equal(outputs[1], outputs[0]);
      assert.equal(runIn(tmp, ['check', '--jobs', 'x']).code, 2, 'a bad --jobs is a usage error');
      // Past what a timer holds, Node fires a setTimeout after 1 ms (every document was "too
      // complex" with workers) and vm refuses the timeout (an internal error on the main thread).
      for (const jobs of ['0', '2']) {
        const r = runIn(tmp, ['check', '--jobs', jobs, '--timeout', '3000000000']);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /--timeout must be a whole number from 1 to 2147483647, not '3000000000'/);
      }
      assert.equal(runIn(tmp, ['check', '--jobs', 'auto', '--timeout', '1000']).code, 1, '--jobs auto is the default, and may be named');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('on the main thread, a budget that interrupts analyses anywhere never changes the findings of a document it lets through', () => {
    // Tiny budgets stop analyses at every kind of place: reading the matcher, loading the English
    // lemmatizer, parsing, scanning. A document is then either too complex or checked exactly as
    // without the pressure: nothing the interrupted code left half done (a cache, a module loaded
    // once per process, a lazily created global) may change a later verdict or crash the check.
    type Out = { files: Array<{ path: string; diagnostics: Array<{ code: string; message: string; range: unknown }> }> };
    const run = (timeout: string) => {
      const r = runIn(ROOT, ['check', 'examples', '--format', 'json', '--today', '2026-01-01', '--jobs', '0', '--timeout', timeout]);
      assert.equal(r.code, 1, `--timeout ${timeout}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error|not checked/, `--timeout ${timeout}`);
      return JSON.parse(r.stdout) as Out;
    };
    const reference = new Map(run('60000').files.map((f) => [f.path, JSON.stringify(f.diagnostics)]));
    let stopped = 0;
    let checked = 0;
    for (const timeout of ['1', '2', '4', '8', '16', '32', '64', '250']) {
      for (const f of run(timeout).files) {
        if (f.diagnostics.length === 1 && f.diagnostics[0].code === 'document-too-complex') stopped++;
        else {
          checked++;
          assert.equal(JSON.stringify(f.diagnostics), reference.get(f.path), `${f.path} with --timeout ${timeout}`);
        }
      }
    }
    // Both outcomes happened: the budgets did interrupt, and documents got through after that.
    assert.ok(stopped > 0 && checked > 0, `stopped ${stopped}, checked ${checked}`);
  });

  it('a file of the configured scope left off the command line is analysed within the budget too; past it, uncovered-control is not judged, with a note', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-scope-budget-'));
    try {
      fs.writeFileSync(path.join(tmp, '.x1051.yaml'), 'applicability:\n  TEL.18.1.6: applicable\n  TEL.13.1.4: applicable\n');
      fs.writeFileSync(path.join(tmp, 'slow.md'), Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n') + '\n');
      fs.writeFileSync(path.join(tmp, 'ok.md'), GOOD);
      for (const jobs of ['2', '0']) {
        // Only ok.md is checked; the coverage findings need the whole scope, slow.md included.
        const r = runIn(tmp, ['check', 'ok.md', '--format', 'json', '--jobs', jobs, '--timeout', '1000']);
        const out = JSON.parse(r.stdout) as { files: Array<{ path: string }>; configs: Array<{ path: string; diagnostics: Array<{ code: string; message: string }> }> };
        assert.deepEqual(out.files.map((f) => f.path), ['ok.md'], r.stderr);
        // slow.md might claim TEL.13.1.4: its coverage is not known, so no control is called uncovered.
        assert.deepEqual(out.configs.find((c) => c.path === '.x1051.yaml')!.diagnostics.filter((d) => d.code === 'uncovered-control'), [], `--jobs ${jobs}`);
        assert.match(r.stderr, /note: uncovered-control not judged for \.x1051\.yaml: 1 file of its scope took longer than the 1 s analysis budget \(slow\.md\)/);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
