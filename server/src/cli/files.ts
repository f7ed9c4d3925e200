/**
 * Finding the files to check and the config that governs each (Node side of the CLI).
 *
 * A path argument may be a file (always checked), a folder (walked: Markdown files matching the
 * governing config's include and not its exclude), or a glob relative to the working directory.
 * The config is `.x1051.yaml` (or `.x1051.yml`) found upwards from each file's folder, unless
 * `--config` names one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globToRegExp, isIncluded } from '../service/config';
import type { ResolvedConfig } from '../service/config';
import type { Finding } from '../service/types';
import type { CatalogIndex } from '../../../catalog/src/query';
import { parseConfig, defaultConfig } from '../service/config';

export const CONFIG_NAMES = ['.x1051.yaml', '.x1051.yml'];

/** Folders never walked into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** A loaded config: the resolved settings, the file (when there is one), and its findings. */
export interface LoadedConfig {
  config: ResolvedConfig;
  /** Absolute path of the config file; undefined for defaults. */
  file?: string;
  /** Folder that include/exclude globs are relative to. */
  root: string;
  findings: Finding[];
}

/** Loads configs (each file once) and finds the one governing a path. */
export class ConfigResolver {
  private readonly byFile = new Map<string, LoadedConfig>();
  private readonly byDir = new Map<string, string | undefined>();
  private readonly defaults: LoadedConfig;

  constructor(
    private readonly catalog: CatalogIndex,
    private readonly cwd: string,
    private readonly explicit?: string,
    private readonly language?: 'ja' | 'en',
  ) {
    const config = defaultConfig();
    if (language) config.language = language;
    this.defaults = { config, root: cwd, findings: [] };
  }

  /** The config governing `file` (absolute). Throws an Error naming the file when it cannot be read. */
  forFile(file: string): LoadedConfig {
    if (this.explicit) return this.load(path.resolve(this.cwd, this.explicit));
    const found = this.findUpwards(path.dirname(file));
    return found ? this.load(found) : this.defaults;
  }

  /** The config governing a folder (for walking it). */
  forDir(dir: string): LoadedConfig {
    if (this.explicit) return this.load(path.resolve(this.cwd, this.explicit));
    const found = this.findUpwards(dir);
    return found ? this.load(found) : this.defaults;
  }

  /** Every config file loaded so far. */
  loaded(): LoadedConfig[] {
    return [...this.byFile.values()];
  }

  private findUpwards(dir: string): string | undefined {
    const seen: string[] = [];
    let d = path.resolve(dir);
    let found: string | undefined;
    for (;;) {
      if (this.byDir.has(d)) {
        found = this.byDir.get(d);
        break;
      }
      seen.push(d);
      const here = CONFIG_NAMES.map((n) => path.join(d, n)).find((p) => fs.existsSync(p));
      if (here) {
        found = here;
        break;
      }
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    for (const s of seen) this.byDir.set(s, found);
    return found;
  }

  private load(file: string): LoadedConfig {
    const known = this.byFile.get(file);
    if (known) return known;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { config, findings } = parseConfig(text.replace(/^\uFEFF/, ''), pathToUri(file), this.catalog);
    if (this.language) config.language = this.language;
    const loaded: LoadedConfig = { config, file, root: path.dirname(file), findings };
    this.byFile.set(file, loaded);
    return loaded;
  }
}

/** A `file://` uri for an absolute path. */
export function pathToUri(p: string): string {
  const abs = path.resolve(p).replace(/\\/g, '/');
  return 'file://' + (abs.startsWith('/') ? '' : '/') + abs.split('/').map(encodeURIComponent).join('/').replace(/%3A/g, ':');
}

const isGlob = (s: string): boolean => /[*?{]/.test(s);

/**
 * Expands path arguments to Markdown files. Errors (a path that does not exist, a glob matching
 * nothing) are returned, not thrown, so the other paths are still checked.
 */
export function collectFiles(args: string[], cwd: string, configs: ConfigResolver): { files: string[]; errors: string[] } {
  const files = new Set<string>();
  const errors: string[] = [];
  for (const arg of args.length > 0 ? args : ['.']) {
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      files.add(abs);
    } else if (stat?.isDirectory()) {
      walk(abs, (f) => {
        const c = configs.forFile(f);
        if (isIncluded(toPosix(path.relative(c.root, f)), c.config)) files.add(f);
      });
    } else if (isGlob(arg)) {
      const re = globToRegExp(toPosix(arg));
      const base = path.resolve(cwd, globBase(arg));
      let matched = 0;
      if (fs.existsSync(base)) {
        walk(base, (f) => {
          if (re.test(toPosix(path.relative(cwd, f)))) {
            const c = configs.forFile(f);
            if (!c.config.exclude.some((g) => globToRegExp(g).test(toPosix(path.relative(c.root, f))))) {
              files.add(f);
              matched++;
            }
          }
        });
      }
      if (matched === 0) errors.push(`no files match ${arg}`);
    } else {
      errors.push(`${arg}: no such file or directory`);
    }
  }
  return { files: [...files].sort(), errors };
}

/** The folder part of a glob before its first wildcard. */
function globBase(glob: string): string {
  const parts = toPosix(glob).split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (isGlob(p)) break;
    fixed.push(p);
  }
  return fixed.length === 0 ? '.' : fixed.join('/');
}

function walk(dir: string, onFile: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, onFile);
    } else if (e.isFile()) onFile(p);
  }
}

/** A path with `/` separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
