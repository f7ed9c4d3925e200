// Neovim end-to-end test: headless Neovim (Debian's 0.7, `apt-get install neovim`) with the
// documented config (init.lua, the built-in LSP client) runs e2e.lua against the bundled server:
// a Japanese and an English policy, diagnostics, hover, go to definition, a code action, save,
// close, reopen. Run with `npm run test:neovim` after `npm run build`; exits non-zero on failure.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const server = join(root, 'dist', 'server.js');

const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  console.error('test:neovim needs Neovim: apt-get install neovim (.ci/run installs it)');
  process.exit(1);
}
if (!existsSync(server)) {
  console.error(`${server} is missing: run \`npm run build\` first`);
  process.exit(1);
}

const JA = [
  '# 情報セキュリティ方針',
  '',
  '## 第3条 通信の秘密（TEL.18.1.6）',
  '',
  '当社は、通信の存在及び通信の内容を第三者に開示しない。',
  '',
].join('\n');
const EN = [
  '# Information security policy',
  '',
  '## TEL.18.1.6 Secrecy of communications',
  '',
  'We never disclose the content of communications to third parties.',
  '',
].join('\n');

const tmp = mkdtempSync(join(tmpdir(), 'x1051-nvim-'));
const work = join(tmp, 'policies');
mkdirSync(work);
writeFileSync(join(work, 'ja.md'), JA);
writeFileSync(join(work, 'en.md'), EN);
const outFile = join(tmp, 'result.json');
const env = {
  ...process.env,
  X1051_LSP_CMD: `${process.execPath} ${server} --stdio`,
  X1051_E2E_OUT: outFile,
  // Neovim's and the server's files (logs, control documents) stay in the temporary folder.
  XDG_CACHE_HOME: join(tmp, 'cache'),
  XDG_CONFIG_HOME: join(tmp, 'config'),
  XDG_DATA_HOME: join(tmp, 'data'),
  XDG_STATE_HOME: join(tmp, 'state'),
};

const nvim = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', join(here, 'init.lua'), '-c', `luafile ${join(here, 'e2e.lua')}`], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
nvim.stdout.on('data', (d) => (output += d));
nvim.stderr.on('data', (d) => (output += d));
const timer = setTimeout(() => nvim.kill('SIGKILL'), 180000);
const code = await new Promise((r) => nvim.on('exit', (c) => r(c)));
clearTimeout(timer);

let result;
try {
  result = JSON.parse(readFileSync(outFile, 'utf8'));
} catch {
  console.error(`Neovim wrote no result (exit ${code}):\n${output}`);
  process.exit(1);
}
try {
  assert.equal(result.error, undefined, result.error);
  assert.equal(code, 0, output);
  assert.equal(result.server_name, 'x1051');
  // init.lua's cmd_env reaches the server (the value of server/src/serverEnvironment.json).
  assert.deepEqual(result.server_malloc_env, JSON.parse(readFileSync(join(root, 'server', 'src', 'serverEnvironment.json'), 'utf8')));
  // Japanese policy: Japanese messages naming the missing elements.
  assert.ok(result.ja_missing_before >= 3, JSON.stringify(result.ja_messages));
  assert.ok(result.ja_messages.some((m) => /通信の日時/.test(m)), JSON.stringify(result.ja_messages));
  assert.match(result.hover_ja, /TEL\.18\.1\.6 通信の秘密保持/);
  // Control document: a readable generated file in the cache folder.
  assert.ok(result.definition_uri.startsWith('file://'), result.definition_uri);
  assert.ok(result.definition_uri.includes('/cache/x1051/controls/'), result.definition_uri);
  assert.equal(result.definition_readable, true);
  assert.match(result.definition_first_line, /^## TEL\.18\.1\.6/);
  // The code action inserted a stub, which is not evidence: the missing item stays and the stub is
  // one unfilled-stub warning; save, close and reopen keep it.
  assert.equal(result.buffer_has_stub, true);
  assert.equal(result.ja_missing_after_fix, result.ja_missing_before);
  assert.equal(result.ja_unfilled_after_fix, 1);
  assert.equal(result.ja_missing_after_close, result.ja_missing_after_fix);
  assert.equal(result.reopened_has_stub, true);
  assert.equal(result.ja_missing_reopened, result.ja_missing_after_fix);
  assert.match(readFileSync(join(work, 'ja.md'), 'utf8'), /<!-- x1051-stub TEL\.18\.1\.6\(/);
  // English policy: English messages and hover.
  assert.ok(result.en_messages.some((m) => /date and time|date\/time/i.test(m)), JSON.stringify(result.en_messages));
  assert.match(result.hover_en, /Secrecy of communications/);
} catch (error) {
  console.error(`Neovim e2e failed: ${error.message}\nresult: ${JSON.stringify(result, null, 2)}\nnvim output:\n${output}`);
  process.exit(1);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`Neovim e2e passed (${version.stdout.split('\n')[0]}): ${result.ja_missing_before} → ${result.ja_missing_after_fix} missing items and ${result.ja_unfilled_after_fix} unfilled stub after "${result.action_title}" (a stub is not evidence), kept across save, close and reopen; hover, definition (${result.definition_uri.replace(/^.*\/controls\//, 'controls/')}) and English checked.`);
