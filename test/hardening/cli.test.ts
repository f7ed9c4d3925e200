/**
 * `x1051 check` on bad input, run as a user would (`node bin/x1051.js`). Every case here fails
 * for root too (CI runs as root): a folder named `x.md`, a broken symbolic link, a symbolic link
 * loop, a binary file, invalid UTF-8. Each is named in a message, the other files are still
 * checked, and the exit code is 2.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureCatalog } from '../helpers/fixtureCatalog';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');
const GOOD = '## Secrecy (TEL.18.1.6)\n\nWe protect the existence of communications, the content of communications, the sender, the recipient and the date and time.\n';

describe('hardening: x1051 check on bad input', function () {
  this.timeout(30000);
  let tmp: string;
  let catalogFile: string;
  const write = (rel: string, data: string | Buffer) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    return p;
  };
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--catalog', catalogFile], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const checkedPaths = (stdout: string) => (JSON.parse(stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path);

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-cli-hard-'));
    catalogFile = path.join(os.tmpdir(), `x1051-fixture-${process.pid}.json`);
    fs.writeFileSync(catalogFile, JSON.stringify(fixtureCatalog()));
    write('ok.md', GOOD);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a missing path: named, the others checked, exit 2', () => {
    const r = run(['check', 'ok.md', 'missing.md', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.md: no such file or directory/);
    assert.deepEqual(checkedPaths(r.stdout), ['ok.md']);
  });

  it('a folder without Markdown: a clear message, exit 2', () => {
    fs.mkdirSync(path.join(tmp, 'empty'));
    write('notes/readme.txt', 'TEL.18.1.6');
    const r = run(['check', 'empty', 'notes', 'ok.md']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty: no Markdown files to check in this folder/);
    assert.match(r.stderr, /notes: no Markdown files to check in this folder/);
  });

  it('a folder named x.md is walked, not read as a file', () => {
    write('x.md/inner.md', GOOD);
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(checkedPaths(r.stdout), ['ok.md', 'x.md/inner.md']);
    fs.rmSync(path.join(tmp, 'x.md', 'inner.md'));
    const empty = run(['check', 'x.md']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /x\.md: no Markdown files to check in this folder/);
  });

  it('a broken symbolic link and a symbolic link loop: named, the others checked, exit 2', () => {
    fs.symlinkSync(path.join(tmp, 'nowhere.md'), path.join(tmp, 'broken.md'));
    fs.symlinkSync(path.join(tmp, 'loop-b.md'), path.join(tmp, 'loop-a.md'));
    fs.symlinkSync(path.join(tmp, 'loop-a.md'), path.join(tmp, 'loop-b.md'));
    fs.symlinkSync(path.join(tmp, 'ok.md'), path.join(tmp, 'link.md'));
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.md: cannot read \(broken symbolic link\)/);
    assert.match(r.stderr, /loop-a\.md: cannot read \(symbolic link loop\)/);
    assert.deepEqual(checkedPaths(r.stdout), ['link.md', 'ok.md'], 'a link to a file is followed');
    const explicit = run(['check', 'broken.md', 'loop-a.md', 'ok.md']);
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /broken\.md: cannot read \(broken symbolic link\)/);
    assert.match(explicit.stderr, /loop-a\.md: cannot read \(symbolic link loop\)/);
  });

  it('a linked folder is not walked (no loops, no escape from the folder)', () => {
    write('outside/secret.md', '# TEL.18.1.6\n');
    fs.mkdirSync(path.join(tmp, 'docs'));
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'docs', 'linked'));
    fs.symlinkSync(path.join(tmp, 'docs'), path.join(tmp, 'docs', 'self'));
    write('docs/a.md', GOOD);
    const r = run(['check', 'docs', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(checkedPaths(r.stdout), ['docs/a.md']);
  });

  it('a binary file named .md and invalid UTF-8: named, not checked, the others checked, exit 2', () => {
    write('binary.md', Buffer.from([0x23, 0x20, 0x54, 0x45, 0x4c, 0x00, 0x01, 0xff]));
    write('latin1.md', Buffer.from('# Politique de s\u00e9curit\u00e9 TEL.18.1.6\n', 'latin1'));
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /binary\.md: binary file \(it contains NUL bytes\), not checked/);
    assert.match(r.stderr, /latin1\.md: not valid UTF-8, not checked/);
    assert.deepEqual(checkedPaths(r.stdout), ['ok.md']);
  });

  it('a config file that is a folder is not a config: the files are checked with the defaults', () => {
    fs.mkdirSync(path.join(tmp, '.x1051.yaml'));
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(checkedPaths(r.stdout), ['ok.md']);
  });

  it('a config alias bomb is refused with a finding on the config', () => {
    write('.x1051.yaml', ['a: &a [x,x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'include: *e', ''].join('\n'));
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.match(out.configs[0].diagnostics[0].message, /refused/);
    assert.deepEqual(checkedPaths(r.stdout), ['ok.md'], 'the defaults are used');
  });

  it('maxDocumentSize in .x1051.yaml: a larger file gets one information finding', () => {
    write('.x1051.yaml', 'maxDocumentSize: 1000\n');
    write('big.md', '# TEL.18.1.6\n' + 'TEL.18.1.66 '.repeat(200));
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const big = JSON.parse(r.stdout).files.find((f: { path: string }) => f.path === 'big.md');
    assert.deepEqual(big.diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['document-too-large', 'information']]);
  });
});
