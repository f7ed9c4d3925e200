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
import { compileGlob, isIncluded } from '../service/config';
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
      // Only a regular file is a config (a folder named .x1051.yaml is not), as in the server.
      const here = CONFIG_NAMES.map((n) => path.join(d, n)).find(isRegularFile);
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

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const isGlob = (s: string): boolean => /[*?{]/.test(s);

/**
 * Expands path arguments to Markdown files. Errors (a path that does not exist, a broken or
 * looping symbolic link, a glob matching nothing, a folder without Markdown files) are returned,
 * not thrown, so the other paths are still checked. Symbolic links to files are followed; links
 * to folders are not walked (they may loop, or lead out of the folder being checked).
 */
export function collectFiles(args: string[], cwd: string, configs: ConfigResolver): { files: string[]; errors: string[] } {
  const files = new Set<string>();
  const errors: string[] = [];
  const display = (p: string) => toPosix(path.relative(cwd, p)) || p;
  // A Markdown-named entry that cannot be followed is an error only when it would be checked.
  const unreadable = (f: string, code: string | undefined, included: boolean) => {
    if (included) errors.push(`${display(f)}: cannot read (${linkProblem(code)})`);
  };
  for (const arg of args.length > 0 ? args : ['.']) {
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats | undefined;
    let code: string | undefined;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      stat = undefined;
      code = (e as NodeJS.ErrnoException).code;
    }
    if (stat?.isFile()) {
      files.add(abs);
    } else if (stat?.isDirectory()) {
      const before = files.size;
      const errorsBefore = errors.length;
      walk(abs, (f) => {
        const c = configs.forFile(f);
        if (isIncluded(toPosix(path.relative(c.root, f)), c.config)) files.add(f);
      }, (f, why) => {
        const c = configs.forFile(f);
        unreadable(f, why, isIncluded(toPosix(path.relative(c.root, f)), c.config));
      });
      if (files.size === before && errors.length === errorsBefore) errors.push(`${display(abs) || '.'}: no Markdown files to check in this folder`);
    } else if (stat) {
      errors.push(`${arg}: not a regular file or folder`);
    } else if (isSymlink(abs)) {
      errors.push(`${arg}: cannot read (${linkProblem(code)})`);
    } else if (isGlob(arg)) {
      const re = compileGlob(toPosix(arg));
      const base = path.resolve(cwd, globBase(arg));
      let matched = 0;
      if (fs.existsSync(base)) {
        walk(base, (f) => {
          if (re.test(toPosix(path.relative(cwd, f)))) {
            const c = configs.forFile(f);
            if (!c.config.exclude.some((g) => compileGlob(g).test(toPosix(path.relative(c.root, f))))) {
              files.add(f);
              matched++;
            }
          }
        }, (f, why) => {
          if (re.test(toPosix(path.relative(cwd, f)))) {
            unreadable(f, why, true);
            matched++;
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

/** Words for why a symbolic link cannot be followed. */
function linkProblem(code: string | undefined): string {
  return code === 'ELOOP' ? 'symbolic link loop' : code === 'ENOENT' ? 'broken symbolic link' : code ?? 'unreadable';
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
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

/**
 * Walks a folder (not following links to folders). `onFile` gets every regular file and every
 * link to one; `onBroken` gets Markdown-named links that cannot be followed, with the error code.
 */
export function walk(dir: string, onFile: (file: string) => void, onBroken: (file: string, code: string | undefined) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, onFile, onBroken);
    } else if (e.isFile()) onFile(p);
    else if (e.isSymbolicLink()) {
      try {
        if (fs.statSync(p).isFile()) onFile(p);
      } catch (err) {
        if (MARKDOWN.test(e.name)) onBroken(p, (err as NodeJS.ErrnoException).code);
      }
    }
  }
}

const MARKDOWN = /\.(md|markdown)$/i;

/** A path with `/` separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Reads a Markdown file as text. Throws an Error with a reason for files that are not text: a
 * NUL byte means a binary file, and bytes that are not UTF-8 are refused rather than silently
 * replaced (the positions and the evidence would be wrong). A byte-order mark is dropped, as
 * editors do not count it in columns.
 */
export function readMarkdownFile(file: string): string {
  const bytes = fs.readFileSync(file);
  if (bytes.includes(0)) throw new Error('binary file (it contains NUL bytes), not checked');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('not valid UTF-8, not checked (save it as UTF-8)');
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * The configured scope of a config file: every file under its folder that its include/exclude
 * select and that it governs (a nearer config file governs its own folder). `unreadable` lists
 * Markdown-named links in the scope that cannot be followed.
 */
export function configuredScope(loaded: LoadedConfig, configs: ConfigResolver): { files: string[]; unreadable: string[] } {
  const files: string[] = [];
  const unreadable: string[] = [];
  const inScope = (f: string) => configs.forFile(f) === loaded && isIncluded(toPosix(path.relative(loaded.root, f)), loaded.config);
  walk(loaded.root, (f) => {
    if (inScope(f)) files.push(f);
  }, (f) => {
    if (inScope(f)) unreadable.push(f);
  });
  return { files: files.sort(), unreadable };
}
