// Starts a real VS Code workbench (code-server) with the packaged extension installed into a
// fresh profile, and drives it with Chromium through playwright-core. Everything the run writes
// (profile, extensions, HOME, caches) stays under one scratch folder, so runs cannot leak into
// each other or into the developer's own VS Code.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, createWriteStream, cpSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { sel, keys } from './vscode-selectors.mjs';

const run = promisify(execFile);

/** The repository root. */
export const root = resolve(import.meta.dirname, '../..');
/** Where screenshots go (gitignored). */
export const artifacts = join(root, 'test-artifacts', 'e2e');

/** code-server installed by test/e2e/setup.sh. */
export function codeServerBin() {
  const cache = process.env.X1051_E2E_CACHE ?? join(homedir(), '.cache', 'x1051-e2e');
  return join(cache, 'code-server-4.100.3', 'node_modules', '.bin', 'code-server');
}

/** A free loopback port. */
async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    // Polling an HTTP endpoint has no event to wait on; 200 ms keeps the loop cheap.
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Starts code-server on a copy of `workspaceSource` (less the `remove` files) with the .vsix
 * installed and opens the workbench in headless Chromium. Returns the page and helpers; call
 * `stop()` in any case.
 */
export async function startVSCode({ vsix, workspaceSource, remove = [], settings = {} }) {
  const scratch = join(root, '.e2e');
  rmSync(scratch, { recursive: true, force: true });
  const dirs = {
    home: join(scratch, 'home'),
    userData: join(scratch, 'user-data'),
    extensions: join(scratch, 'extensions'),
    tmp: join(scratch, 'tmp'),
    workspace: join(scratch, 'workspace'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  // The test edits the workspace (quick fix), so it works on a copy of the examples.
  cpSync(workspaceSource, dirs.workspace, { recursive: true });
  for (const file of remove) rmSync(join(dirs.workspace, file));

  const settingsPath = join(dirs.userData, 'User', 'settings.json');
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const baseSettings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    'editor.minimap.enabled': false,
    'editor.hover.delay': 200,
    'editor.quickSuggestions': { other: true, comments: true, strings: true },
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    ...settings,
  };
  writeFileSync(settingsPath, JSON.stringify(baseSettings, null, 2));

  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    TMPDIR: dirs.tmp,
  };
  const bin = codeServerBin();
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  await run(bin, ['--install-extension', vsix, ...common], { env });

  const port = await freePort();
  const log = createWriteStream(join(artifacts, 'code-server.log'));
  const child = spawn(
    bin,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      dirs.workspace,
    ],
    // A process group of its own, so stopping it also stops the extension host, our language
    // server and VS Code's built-in servers instead of orphaning them.
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  let browser;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  };

  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, 60_000);
    browser = await chromium.launch({
      executablePath: process.env.X1051_E2E_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    // Nothing may leave the machine: only the local code-server is reachable.
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page.locator(sel.workbench).waitFor({ timeout: 60_000 });
    /**
     * The environment of each process of this workbench (code-server's process group) whose
     * command line runs `script` from the installed extensions (Linux `/proc`).
     */
    const processEnvironments = (script) => {
      const found = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          // Field 5 of stat is the process group; the command name (field 2) may hold spaces.
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
          if (group !== child.pid) continue;
          const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
          if (!argv.some((a) => a.startsWith(dirs.extensions) && a.endsWith(script))) continue;
          const env = Object.fromEntries(readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
          found.push({ pid: Number(entry), env });
        } catch {
          // A process that ended while it was read.
        }
      }
      return found;
    };
    return { page, stop, dirs, settingsPath, port, processEnvironments, ...helpers(page) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** UI helpers bound to one page. */
function helpers(page) {
  return {
    /** Saves a screenshot under test-artifacts/e2e. */
    async screenshot(name) {
      await page.screenshot({ path: join(artifacts, `${name}.png`) });
    },
    /** Opens a workspace file through Quick Open, as a person would. */
    async openFile(relativePath) {
      // A quick input that is still closing (after a command) must not take the keys: wait until
      // no quick input shows, then for the Quick Open one.
      const name = relativePath.split('/').pop();
      // A file written a moment ago may be missing from Quick Open's file search until the search
      // runs again: close and reopen Quick Open, with short bounded waits, a few times.
      for (let attempt = 1; ; attempt++) {
        await page.locator(`${sel.quickInput}:visible`).waitFor({ state: 'hidden' });
        await page.keyboard.press(keys.quickOpen);
        const input = page.locator(sel.quickOpenInput);
        await input.waitFor();
        await input.fill(relativePath);
        // Click the file's row rather than pressing Enter: until the filter has run, the first row
        // is the most recently opened file, which may be another one.
        const row = page.locator(sel.quickInputRow).filter({ hasText: name }).first();
        try {
          await row.waitFor({ timeout: attempt < 6 ? 5_000 : 30_000 });
          await row.click();
          break;
        } catch (error) {
          if (attempt >= 6) throw error;
          await page.keyboard.press('Escape');
        }
      }
      // The file's tab is the active one (it may have been open already, behind another).
      await page.locator(sel.activeTab).filter({ hasText: name }).first().waitFor();
      await page.locator(sel.editorLines).first().waitFor();
    },
    /** Runs a command from the Command Palette by its title. */
    async runCommand(title) {
      await page.locator(`${sel.quickInput}:visible`).waitFor({ state: 'hidden' });
      await page.keyboard.press(keys.commandPalette);
      const input = page.locator(sel.quickInputBox);
      await input.waitFor();
      await input.fill(`>${title}`);
      // Clicked, not Enter: before the filter runs, the first row is a recently used command.
      await page.locator(sel.quickInputRow).filter({ hasText: title }).first().click();
    },
  };
}
