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
import { pathToFileURL } from 'node:url';
import { compileGlob, isIncluded } from '../service/config';
import { CONFIG_READ_LIMIT, readTextFile, type ReadText } from '../readText';
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
  private readonly failed = new Map<string, string>();
  private readonly byDir = new Map<string, string | undefined>();
  private readonly defaults: LoadedConfig;
  /** One message per config file that could not be read (the files it governs are not checked). */
  readonly errors: string[] = [];

  constructor(
    private readonly catalog: CatalogIndex,
    private readonly cwd: string,
    private readonly explicit?: string,
    private readonly language?: 'ja' | 'en',
    /** Today's date for the date rules (`--today`), when the user fixes it. */
    private readonly today?: string,
  ) {
    const config = defaultConfig();
    if (language) config.language = language;
    if (today) config.today = today;
    this.defaults = { config, root: cwd, findings: [] };
  }

  /**
   * The config governing `file` (absolute), or undefined when that config cannot be read (the
   * reason is in `errors`, once per config file).
   */
  forFile(file: string): LoadedConfig | undefined {
    return this.forDir(path.dirname(file));
  }

  /** The config governing a folder (for walking it), or undefined when it cannot be read. */
  forDir(dir: string): LoadedConfig | undefined {
    if (this.explicit) return this.load(path.resolve(this.cwd, this.explicit));
    const found = this.findUpwards(dir);
    return found ? this.load(found) : this.defaults;
  }

  /** Loads `--config`; throws an Error with a one-line reason when it cannot be read. */
  loadExplicit(): void {
    if (!this.explicit) return;
    const file = path.resolve(this.cwd, this.explicit);
    if (!this.load(file)) throw new Error(this.failed.get(file));
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

  private load(file: string): LoadedConfig | undefined {
    const known = this.byFile.get(file);
    if (known) return known;
    if (this.failed.has(file)) return undefined;
    let text: string;
    try {
      text = readTextFile(file, CONFIG_READ_LIMIT).text;
    } catch (e) {
      const rel = toPosix(path.relative(this.cwd, file));
      const message = `${rel && !rel.startsWith('..') ? rel : file}: ${(e as Error).message}; the files it governs are not checked`;
      this.failed.set(file, message);
      this.errors.push(message);
      return undefined;
    }
    // With --lang the config's own messages are in that language too.
    const { config, findings } = parseConfig(text, pathToUri(file), this.catalog, this.language ? { language: this.language } : undefined);
    if (this.language) config.language = this.language;
    if (this.today) config.today = this.today;
    const loaded: LoadedConfig = { config, file, root: path.dirname(file), findings };
    this.byFile.set(file, loaded);
    return loaded;
  }
}

/** A `file://` uri for a path (Node's encoder: `#`, `?`, `%` and spaces are escaped). */
export function pathToUri(p: string): string {
  return pathToFileURL(path.resolve(p)).href;
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
  /** Whether the governing config includes `f`; false when that config cannot be read (reported once). */
  const included = (f: string) => {
    const c = configs.forFile(f);
    return c !== undefined && isIncluded(toPosix(path.relative(c.root, f)), c.config);
  };
  // A Markdown-named entry that cannot be read is an error only when it would be checked.
  const unreadable = (f: string, why: string, wouldCheck: boolean) => {
    if (wouldCheck) errors.push(`${display(f)}: ${why}`);
  };
  const folderError = (dir: string, code: string | undefined) => errors.push(`${display(dir) || '.'}: cannot read this folder (${code ?? 'unreadable'}); its files are not checked`);
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
      const errorsBefore = errors.length + configs.errors.length;
      walk(abs, (f) => {
        if (included(f)) files.add(f);
      }, (f, why) => unreadable(f, why, included(f)), folderError);
      if (files.size === before && errors.length + configs.errors.length === errorsBefore) errors.push(`${display(abs) || '.'}: no Markdown files to check in this folder`);
    } else if (stat) {
      errors.push(`${arg}: not a regular file or folder (${kindOf(stat)}), not read`);
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
            if (c && !c.config.exclude.some((g) => compileGlob(g).test(toPosix(path.relative(c.root, f))))) {
              files.add(f);
              matched++;
            }
          }
        }, (f, why) => {
          if (re.test(toPosix(path.relative(cwd, f)))) {
            unreadable(f, why, true);
            matched++;
          }
        }, folderError);
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

/** Words for a file that is neither a regular file nor a folder. */
function kindOf(stat: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'a special file';
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
 * link to one; `onBad` gets Markdown-named entries that cannot be read (a broken link, a link
 * loop, a FIFO, a socket, a device or a link to one) with the reason; `onFolderError` gets
 * folders that cannot be listed, with the error code.
 */
export function walk(
  dir: string,
  onFile: (file: string) => void,
  onBad: (file: string, why: string) => void,
  onFolderError: (dir: string, code: string | undefined) => void,
): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    onFolderError(dir, (e as NodeJS.ErrnoException).code);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, onFile, onBad, onFolderError);
    } else if (e.isFile()) onFile(p);
    else if (e.isSymbolicLink()) {
      let target: fs.Stats;
      try {
        target = fs.statSync(p);
      } catch (err) {
        if (MARKDOWN.test(e.name)) onBad(p, `cannot read (${linkProblem((err as NodeJS.ErrnoException).code)})`);
        continue;
      }
      if (target.isFile()) onFile(p);
      else if (!target.isDirectory() && MARKDOWN.test(e.name)) onBad(p, `not a regular file (a link to ${kindOf(target)}), not read`);
    } else if (MARKDOWN.test(e.name)) onBad(p, `not a regular file (${kindOf(e)}), not read`);
  }
}

const MARKDOWN = /\.(md|markdown)$/i;

/** A path with `/` separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Reads a Markdown file as text (see `readTextFile`): only a regular file, bounded in size, never
 * blocking; UTF-8 (a byte-order mark is dropped, as editors do not count it in columns), or
 * UTF-16 with a BOM, Shift_JIS or EUC-JP (then `encoding` says which). Throws an Error with the
 * reason otherwise: NUL bytes mean a binary file, and bytes valid in none of these encodings are
 * refused rather than silently replaced (the positions and the evidence would be wrong).
 */
export function readMarkdownFile(file: string): ReadText {
  return readTextFile(file);
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
  }, (dir) => unreadable.push(dir));
  return { files: files.sort(), unreadable };
}
