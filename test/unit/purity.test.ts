/**
 * The language service stays pure: nothing under server/src/service imports vscode, the LSP
 * transport or Node built-ins, so it runs in the server, the CLI, a web worker and tests alike.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', 'server', 'src', 'service');
const FORBIDDEN = [/^vscode$/, /^vscode-languageserver(\/.*)?$/, /^vscode-languageserver-protocol/, /^node:/, /^(fs|path|os|child_process|url|util|crypto|http|https|net|stream|worker_threads)(\/.*)?$/];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Module specifiers of import/export-from/require/dynamic import statements. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

describe('purity of server/src/service', () => {
  it('finds imports the way the check needs (self-test)', () => {
    const src = "import * as fs from 'node:fs';\nimport type { X } from \"vscode\";\nconst p = require('path');\nexport { a } from './a';\nimport 'fs';";
    assert.deepEqual(importsOf(src).sort(), ['./a', 'fs', 'node:fs', 'path', 'vscode']);
  });

  it('imports no vscode, vscode-languageserver, node:*, fs or path', () => {
    const all = files(ROOT);
    assert.ok(all.length >= 10, 'the service has files');
    const bad: string[] = [];
    for (const f of all) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
        if (FORBIDDEN.some((r) => r.test(spec))) bad.push(`${path.relative(ROOT, f)}: ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('imports from outside the service only the pure catalogue modules', () => {
    const bad: string[] = [];
    for (const f of files(ROOT)) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(f), spec);
        if (target.startsWith(ROOT)) continue;
        if (/catalog[\\/]src[\\/]load$/.test(target)) bad.push(`${path.relative(ROOT, f)}: ${spec} (Node-only loader)`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
