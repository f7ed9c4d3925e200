// `npm run test:e2e`: installs what a real VS Code needs (test/e2e/setup.sh), builds and packages
// the extension, then runs the end-to-end test against code-server with the .vsix installed.
//
// Environment:
//   X1051_E2E_SKIP_SETUP=1    do not run setup.sh (everything is known to be installed)
//   X1051_E2E_SKIP_PACKAGE=1  reuse an existing x1051.vsix instead of building and packaging
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, root } from './harness.mjs';

const started = Date.now();

function step(title, command, args) {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`e2e: "${title}" failed with exit code ${result.status ?? result.signal}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

if (process.env.X1051_E2E_SKIP_SETUP !== '1') step('setup (code-server, Chromium)', 'bash', ['test/e2e/setup.sh']);

const vsix = join(root, 'x1051.vsix');
if (process.env.X1051_E2E_SKIP_PACKAGE !== '1' || !existsSync(vsix)) step('build and package', 'npm', ['run', 'package']);
console.log(`e2e: ${vsix} is ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);

// Screenshots of an earlier run must not be mistaken for this one's.
rmSync(artifacts, { recursive: true, force: true });
const tests = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=1', 'test/e2e/extension.e2e.mjs'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, X1051_E2E_VSIX: vsix } },
);
console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)} s (screenshots in test-artifacts/e2e/)`);
process.exit(tests.status ?? 1);
