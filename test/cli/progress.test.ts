/**
 * Progress of `x1051 check` / `x1051 coverage` on stderr: printed only when stderr is a terminal
 * (injected `stderrIsTTY` in-process, and a real pseudo-terminal through `script`), never in a
 * pipe, never on stdout.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliIO } from '../../server/src/cli/main';
import { startProgress } from '../../server/src/cli/progress';
import { fixtureCatalog } from '../helpers/fixtureCatalog';
import { joinLines } from '../helpers/inMemory';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');
const POLICY = joinLines('## Secrecy (TEL.18.1.6)', '', 'We protect the existence of communications, the content of communications, the sender, the recipient and the date and time.', '');

function io(cwd: string, stderrIsTTY: boolean): CliIO & { out: string; err: string } {
  const r = {
    out: '',
    err: '',
    stdout: (t: string) => void (r.out += t),
    stderr: (t: string) => void (r.err += t),
    isTTY: false,
    stderrIsTTY,
    env: { NO_COLOR: '1', LANG: 'en_US.UTF-8' },
    cwd,
  };
  return r;
}

describe('cli: progress on a terminal', function () {
  this.timeout(30000);
  let tmp: string;
  let catalog: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-progress-'));
    catalog = path.join(tmp, 'fixture-catalog.json');
    fs.writeFileSync(catalog, JSON.stringify(fixtureCatalog()));
    for (const name of ['a.md', 'b.md', 'c.md']) fs.writeFileSync(path.join(tmp, name), POLICY);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints nothing when stderr is not a terminal', () => {
    const lines: string[] = [];
    const p = startProgress({ ...io(tmp, false), stderr: (t) => void lines.push(t) }, 'check', 10);
    for (let i = 0; i < 10; i++) p.tick();
    p.end();
    assert.equal(p.active, false);
    assert.deepEqual(lines, []);
  });

  it('rewrites one line, throttled, always showing the last count, then clears it', () => {
    const lines: string[] = [];
    let clock = 0;
    const p = startProgress({ ...io(tmp, true), stderr: (t) => void lines.push(t) }, 'coverage', 5, 100, () => clock);
    p.tick(); // 1/5 at the same instant: throttled
    clock = 150;
    p.tick(); // 2/5
    p.tick(); // 3/5: throttled
    p.tick(); // 4/5: throttled
    p.tick(); // 5/5: the last, always shown
    p.end();
    p.end();
    assert.deepEqual(lines, ['\r\x1b[2Kx1051 coverage: 0/5 files', '\r\x1b[2Kx1051 coverage: 2/5 files', '\r\x1b[2Kx1051 coverage: 5/5 files', '\r\x1b[2K']);
  });

  it('x1051 check and coverage show files done/total on a terminal stderr, and nothing on stdout', async () => {
    for (const command of ['check', 'coverage']) {
      const tty = io(tmp, true);
      const code = await runCli([command, '--format', 'json', '--jobs', '0', '--catalog', catalog], tty);
      assert.equal(code, 0, tty.err);
      assert.match(tty.err, new RegExp(`x1051 ${command}: 3/3 files`));
      assert.ok(tty.err.endsWith('\r\x1b[2K'), `the line is cleared at the end: ${JSON.stringify(tty.err)}`);
      assert.doesNotThrow(() => JSON.parse(tty.out), 'stdout stays pure JSON');
      assert.doesNotMatch(tty.out, /\x1b|\d\/3 files/);

      const pipe = io(tmp, false);
      assert.equal(await runCli([command, '--format', 'json', '--jobs', '0', '--catalog', catalog], pipe), 0);
      assert.equal(pipe.err, '', 'no progress on a non-terminal stderr');
      assert.equal(pipe.out, tty.out, 'same output with and without progress');
    }
  });

  it('the real process: a progress line in a pseudo-terminal, none in a pipe', () => {
    const args = ['check', '--catalog', catalog];
    const piped = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(piped.status, 0, piped.stderr);
    assert.doesNotMatch(piped.stderr, /files|\x1b/);
    // `script` (util-linux) runs the command with stdout and stderr on a pseudo-terminal.
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const line = [process.execPath, BIN, ...args].map(quote).join(' ');
    const tty = spawnSync('script', ['-qec', line, '/dev/null'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    assert.equal(tty.error, undefined, 'script(1) from util-linux is needed for this test');
    assert.match(tty.stdout, /x1051 check: \d\/3 files/);
    assert.match(tty.stdout, /\r\x1b\[2K/);
  });
});
