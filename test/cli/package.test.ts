/**
 * The npm package on its own: `npm pack` gives a tarball with only what the CLI and the language
 * server need; installed globally into a temporary prefix (offline, from the tarball alone), its
 * `x1051 check` and `x1051 lsp --stdio` work without the checkout.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession } from '../lsp/lspClient';

const ROOT = path.resolve(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the npm package', function () {
  this.timeout(120000);
  let tmp: string;
  let tarball: string;
  let bin: string;

  before(() => {
    for (const f of ['dist/cli.js', 'dist/server.js', 'dist/catalog.json']) {
      if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-pack-'));
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[];
    tarball = path.join(tmp, packed[0].filename);
    const prefix = path.join(tmp, 'prefix');
    // Offline, from the tarball alone: the bundles carry every dependency.
    execFileSync(NPM, ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_cache: path.join(tmp, 'npm-cache') },
    });
    bin = process.platform === 'win32' ? path.join(prefix, 'x1051.cmd') : path.join(prefix, 'bin', 'x1051');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('packs only the bundles, the catalogue, the launcher and the documents', () => {
    const listed = JSON.parse(execFileSync(NPM, ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { files: { path: string }[] }[];
    const files = listed[0].files.map((f) => f.path).sort();
    // One file list serves the npm package and the .vsix (vsce reads `files` too): the CLI and
    // server bundles, the analysis worker, the Japanese dictionary, the extension's client,
    // manifest translations, grammar and icons — never sources, tests or node_modules.
    for (const needed of ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/x1051.js', 'dist/analysisWorker.js', 'dist/catalog.json', 'dist/cli.js', 'dist/client.js', 'dist/dict/base.dat.gz', 'dist/dict/terms.json', 'dist/dict/matcher.json', 'dist/dict/wink-lexicon.json', 'dist/server.js', 'package.json']) {
      assert.ok(files.includes(needed), `${needed} is packed`);
    }
    const allowed = /^(?:bin\/x1051\.js|dist\/(?:cli|server|client|analysisWorker)\.js|dist\/catalog\.json|dist\/dict\/(?:[a-z_]+\.dat\.gz|terms\.json|matcher\.json|wink-lexicon\.json)|package(?:\.nls(?:\.ja)?)?\.json|l10n\/bundle\.l10n\.ja\.json|syntaxes\/x1051\.injection\.tmLanguage\.json|media\/(?:icon\.png|activitybar\.svg)|README\.md|CHANGELOG\.md|LICENSE)$/;
    assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
    assert.match(path.basename(tarball), /^x1051-\d+\.\d+\.\d+\.tgz$/);
  });

  it('runs x1051 check from the installed package, outside the checkout', () => {
    const work = fs.mkdtempSync(path.join(tmp, 'work-'));
    fs.writeFileSync(path.join(work, 'policy.md'), '# Policy\n\n## TEL.18.1.6 Secrecy of communications\n\nWe never disclose the content of communications.\n\nSee TEL.18.1.66.\n');
    const r = spawnSync(bin, ['check', '.', '--format', 'json'], { cwd: work, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    // Every part of the morphology and the matcher's snapshot loaded from the package (a missing
    // file is told on stderr, and the check would go on without it).
    assert.doesNotMatch(r.stderr, /unavailable|unreadable/);
    const report = JSON.parse(r.stdout) as { files?: { findings: { code: string }[] }[] } & Record<string, unknown>;
    const text = JSON.stringify(report);
    assert.match(text, /unknown-control/);
    assert.match(text, /missing-item/);
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('starts the language server with x1051 lsp --stdio (initialize round trip, clean exit)', async () => {
    const session = LspSession.spawn({}, [bin, 'lsp', '--stdio']);
    try {
      const result = await session.request<{ capabilities: { hoverProvider?: boolean }; serverInfo: { name: string } }>('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(result.serverInfo.name, 'x1051');
      assert.equal(result.capabilities.hoverProvider, true);
      await session.notify('initialized', {});
      const uri = 'file:///tmp/x1051-pack-policy.md';
      await session.open(uri, '# Policy\n\nSee TEL.18.1.66.\n');
      const d = await session.waitForDiagnostics(uri, (x) => x.length > 0);
      assert.ok(d.some((x) => x.code === 'unknown-control'), JSON.stringify(d));
      assert.equal(await session.request('shutdown', null), null);
      const exited = session.exitCode();
      await session.notify('exit', null);
      assert.equal(await exited, 0);
    } finally {
      if (!session.hasExited) session.child.kill();
      session.connection.dispose();
    }
  });

  it('refuses x1051 lsp without a transport, with a usage message', () => {
    const r = spawnSync(bin, ['lsp'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--stdio/);
  });
});
