/**
 * The workspace as the server sees it (Node side): Markdown files on disk, `.x1051.yaml` files,
 * and the editor's open documents on top of them.
 *
 * - Files are found by walking the workspace folders (skipping `node_modules`, `.git` and other
 *   dot-folders), in chunks that yield to the event loop so requests keep being answered while a
 *   large workspace is indexed.
 * - A document's config is the nearest `.x1051.yaml` from its folder upwards, without leaving the
 *   workspace folder that holds it (a document outside every folder looks up to the root).
 * - Disk documents get a version that changes only when their text does, so the service's
 *   per-version cache makes re-checking an unchanged file free. Versions come from one counter, so
 *   a file deleted and created again never gets a version its old text had: the version is the
 *   document's stamp (`PolicyDocument.stamp`), and the service keeps no copy of a file's text.
 * - Only the texts of the last few files used are kept (`KEPT_DISK_TEXTS`); any other is read
 *   again when needed, and its digest tells whether the file changed in between.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isIncluded, type ResolvedConfig } from './service/config';
import type { PolicyDocument } from './service/types';
import type { NonUtf8Encoding } from './service/encoding';
import { readTextFile, type ReadText } from './readText';

/** Name of the configuration file. */
export const CONFIG_FILE = '.x1051.yaml';

/** The file-system operations the workspace needs (a seam for tests). */
export interface FileSystem {
  /** The file's text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
  /**
   * A Markdown file's text and, when it was not UTF-8, its encoding; undefined when it cannot be
   * read or is not text. Optional: without it `readFile` is used.
   */
  readText?(file: string): { text: string; encoding?: NonUtf8Encoding } | undefined;
  /** Entries of a folder, or an empty list when it cannot be read. */
  readDir(dir: string): { name: string; isDirectory: boolean; isFile: boolean }[];
  isFile(file: string): boolean;
}

/**
 * The real file system. Reads go through `readTextFile`: only regular files, non-blocking, up to
 * a byte limit (a FIFO or a link to /dev/zero announced by the file watcher is refused, never
 * read), decoded as the CLI decodes them. `log` hears why a file was not read.
 */
export class NodeFileSystem implements FileSystem {
  constructor(private readonly log?: (message: string) => void) {}

  readFile(file: string): string | undefined {
    return this.readText(file)?.text;
  }

  readText(file: string): ReadText | undefined {
    try {
      return readTextFile(file);
    } catch (e) {
      this.log?.(`x1051: ${file}: ${(e as Error).message}`);
      return undefined;
    }
  }

  readDir(dir: string): { name: string; isDirectory: boolean; isFile: boolean }[] {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory(), isFile: d.isFile() }));
    } catch {
      return [];
    }
  }

  isFile(file: string): boolean {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }
}

/** Folders never descended into: dependencies, VCS data and other dot-folders. */
const SKIPPED_DIRS = new Set(['node_modules', 'bower_components']);

/** `file:` uri → path, or undefined for other schemes or a malformed uri. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' && parsed.path ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Path → `file:` uri, spelled as VS Code spells it (vscode-uri: upper-case percent escapes). */
export function pathToUri(file: string): string {
  return URI.file(file).toString();
}

/**
 * Canonical form of a uri, the one identity of a document: clients percent-encode differently
 * (`%e6` or `%E6`, `c%3A` or `C:`, `+` or `%2B`), so `file:` uris are rebuilt from their path
 * with vscode-uri. Other schemes are kept as they are.
 */
export function canonicalUri(uri: string): string {
  const p = uriToPath(uri);
  return p === undefined ? uri : pathToUri(p);
}

/** How many disk documents keep their text in memory (the most recently used). */
export const KEPT_DISK_TEXTS = 32;

/** Versions of all disk documents: a version is never given to two texts. */
let diskVersions = 0;

function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** What a disk document asks of its workspace. */
interface DiskTexts {
  /** The file's text read again (undefined: it can no longer be read). */
  reread(doc: DiskDocument): { text: string; encoding?: NonUtf8Encoding } | undefined;
  /** The document's text was just used: it is kept, and the least recently used beyond the limit dropped. */
  used(doc: DiskDocument): void;
}

/**
 * A document read from disk. Its text is kept only while it is among the most recently used; a
 * dropped text is read again from the file. When that finds the file changed (before the file
 * watcher said so), the document takes the new text and version there and then, and the next
 * `update` reports a change even if the watcher's read finds the same text, so the server
 * re-checks it.
 */
export class DiskDocument implements PolicyDocument {
  version = ++diskVersions;
  private digest: string;
  private unannounced = false;

  private text: string | undefined;

  constructor(
    readonly uri: string,
    text: string,
    public encoding: NonUtf8Encoding | undefined,
    private readonly texts: DiskTexts,
  ) {
    this.text = text;
    this.digest = digestOf(text);
  }

  get stamp(): number {
    return this.version;
  }

  /** True while the text is in memory. */
  get holdsText(): boolean {
    return this.text !== undefined;
  }

  getText(): string {
    let text = this.text;
    if (text === undefined) {
      const read = this.texts.reread(this);
      text = read?.text ?? '';
      const digest = digestOf(text);
      if (digest !== this.digest || read?.encoding !== this.encoding) {
        this.replace(text, digest, read?.encoding);
        this.unannounced = true;
      } else this.text = text;
    }
    this.texts.used(this);
    return text;
  }

  /** Forgets the text (it is read again from the file when needed). */
  dropText(): void {
    this.text = undefined;
  }

  /** Replaces the text; returns true when it changed (and then bumps the version). */
  update(text: string, encoding?: NonUtf8Encoding): boolean {
    const unannounced = this.unannounced;
    this.unannounced = false;
    const digest = digestOf(text);
    if (digest === this.digest && encoding === this.encoding) return unannounced;
    this.replace(text, digest, encoding);
    this.texts.used(this);
    return true;
  }

  private replace(text: string, digest: string, encoding: NonUtf8Encoding | undefined): void {
    this.text = text;
    this.digest = digest;
    this.encoding = encoding;
    this.version = ++diskVersions;
  }
}

/**
 * Markdown documents and config files of the workspace. The open documents are given by a
 * callback so the editor's unsaved text always wins over the disk.
 */
export class WorkspaceIndex {
  private folders: string[] = [];
  private readonly disk = new Map<string, DiskDocument>();
  /** The disk documents holding their text, least recently used first. */
  private readonly held = new Set<DiskDocument>();
  private readonly texts: DiskTexts = {
    reread: (doc) => {
      const file = uriToPath(doc.uri);
      return file === undefined ? undefined : this.readFileText(file);
    },
    used: (doc) => {
      this.held.delete(doc);
      this.held.add(doc);
      for (const old of this.held) {
        if (this.held.size <= KEPT_DISK_TEXTS) break;
        old.dropText();
        this.held.delete(old);
      }
    },
  };
  /** Config file path (or '' for none) of each folder, cached until a config file event. */
  private readonly configOfDir = new Map<string, string>();

  constructor(
    private readonly fileSystem: FileSystem,
    private readonly openDocument: (uri: string) => PolicyDocument | undefined,
    private readonly openDocuments: () => Iterable<PolicyDocument>,
  ) {}

  /** Sets the workspace folders (uris); non-file folders are ignored. */
  setFolders(uris: string[]): void {
    this.folders = uris.map(uriToPath).filter((p): p is string => p !== undefined).map((p) => path.resolve(p));
    this.configOfDir.clear();
  }

  /** The workspace folders as paths. */
  get folderPaths(): readonly string[] {
    return this.folders;
  }

  /** The folder holding `file`, the innermost when folders nest. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if (isInside(file, f) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  /**
   * Walks the workspace folders and reads every Markdown file, yielding to the event loop every
   * `chunk` files; `progress` gets the number of files read so far. Stops early when `cancelled`
   * turns true. Returns the uris found.
   */
  async scan(progress?: (done: number, found: number) => void, cancelled?: () => boolean, chunk = 50): Promise<string[]> {
    const files: string[] = [];
    for (const folder of this.folders) this.walk(folder, files);
    const found = new Set<string>();
    let done = 0;
    for (const file of files) {
      if (cancelled?.()) break;
      const uri = pathToUri(file);
      found.add(uri);
      this.readDisk(uri, file);
      if (++done % chunk === 0) {
        progress?.(done, files.length);
        await new Promise((r) => setImmediate(r));
      }
    }
    // Files that disappeared while the server was not watching.
    for (const uri of [...this.disk.keys()]) if (!found.has(uri) && !cancelled?.()) this.forgetDisk(uri);
    progress?.(done, files.length);
    return [...found];
  }

  private walk(dir: string, out: string[]): void {
    for (const e of this.fileSystem.readDir(dir)) {
      if (e.isDirectory) {
        if (e.name.startsWith('.') || SKIPPED_DIRS.has(e.name)) continue;
        this.walk(path.join(dir, e.name), out);
      } else if (e.isFile && /\.(md|markdown)$/i.test(e.name)) {
        out.push(path.join(dir, e.name));
      }
    }
  }

  /** Reads (or re-reads) a Markdown file from disk; returns true when its text changed. */
  readDisk(uri: string, file = uriToPath(uri)): boolean {
    if (!file) return false;
    // Regular files only, bounded, decoded (see NodeFileSystem): a special file is forgotten.
    const read = this.readFileText(file);
    const key = canonicalUri(uri);
    if (read === undefined) return this.forgetDisk(key);
    const known = this.disk.get(key);
    if (known) return known.update(read.text, read.encoding);
    this.addDisk(key, read.text, read.encoding);
    return true;
  }

  private readFileText(file: string): { text: string; encoding?: NonUtf8Encoding } | undefined {
    return this.fileSystem.readText ? this.fileSystem.readText(file) : wrapText(this.fileSystem.readFile(file));
  }

  private addDisk(key: string, text: string, encoding?: NonUtf8Encoding): void {
    const doc = new DiskDocument(key, text, encoding, this.texts);
    this.disk.set(key, doc);
    this.texts.used(doc);
  }

  private forgetDisk(key: string): boolean {
    const doc = this.disk.get(key);
    if (doc) this.held.delete(doc);
    return this.disk.delete(key);
  }

  /**
   * Refreshes the disk copy of a document the editor saved or closed: with the saved `text` when
   * the client sent it, else by reading the file. Only Markdown files inside a workspace folder
   * (outside skipped folders) or already known on disk are kept. Returns true when it changed.
   */
  refreshDisk(uri: string, text?: string): boolean {
    const file = uriToPath(uri);
    if (!file || !(this.hasDisk(uri) || this.isWorkspaceMarkdown(file))) return false;
    if (text === undefined) return this.readDisk(uri, file);
    const key = canonicalUri(uri);
    const known = this.disk.get(key);
    if (known) return known.update(text);
    this.addDisk(key, text);
    return true;
  }

  /** True for a Markdown file the workspace scan would find. */
  private isWorkspaceMarkdown(file: string): boolean {
    const folder = this.folderOf(file);
    if (!folder || !/\.(md|markdown)$/i.test(file)) return false;
    const dirs = path.relative(folder, path.dirname(path.resolve(file))).split(path.sep).filter(Boolean);
    return !dirs.some((d) => d.startsWith('.') || SKIPPED_DIRS.has(d));
  }

  /** Forgets a deleted file. */
  deleteDisk(uri: string): boolean {
    return this.forgetDisk(canonicalUri(uri));
  }

  /** True when the file is known on disk. */
  hasDisk(uri: string): boolean {
    return this.disk.has(canonicalUri(uri));
  }

  /** The document as the editor has it, else as on disk. */
  get(uri: string): PolicyDocument | undefined {
    return this.openDocument(uri) ?? this.disk.get(canonicalUri(uri));
  }

  /**
   * Every Markdown document in scope: open `file:` documents inside the folders and disk files,
   * the open version winning; `included` filters by the configuration.
   */
  *documents(included: (uri: string) => boolean = () => true): Iterable<PolicyDocument> {
    const seen = new Set<string>();
    for (const d of this.openDocuments()) {
      const key = canonicalUri(d.uri);
      const file = uriToPath(d.uri);
      if (!file || !/\.(md|markdown)$/i.test(file) || !this.folderOf(file)) continue;
      seen.add(key);
      if (included(d.uri)) yield d;
    }
    for (const [key, d] of this.disk) {
      if (seen.has(key)) continue;
      if (included(d.uri)) yield d;
    }
  }

  /** Uris of the disk documents (for re-checking everything). */
  diskUris(): string[] {
    return [...this.disk.keys()];
  }

  /**
   * Path of the `.x1051.yaml` that governs `file`: the nearest one from its folder upwards,
   * within its workspace folder (or up to the root when it is in none). Undefined when none.
   */
  configFileFor(file: string): string | undefined {
    const stop = this.folderOf(file);
    let dir = path.dirname(path.resolve(file));
    const visited: string[] = [];
    let found: string | undefined;
    for (;;) {
      const cached = this.configOfDir.get(dir);
      if (cached !== undefined) {
        found = cached || undefined;
        break;
      }
      visited.push(dir);
      const candidate = path.join(dir, CONFIG_FILE);
      if (this.fileSystem.isFile(candidate)) {
        found = candidate;
        break;
      }
      const up = path.dirname(dir);
      if ((stop && dir === stop) || up === dir) break;
      dir = up;
    }
    for (const v of visited) this.configOfDir.set(v, found ?? '');
    return found;
  }

  /** Forgets where config files are (after a config file was created or deleted). */
  invalidateConfigLocations(): void {
    this.configOfDir.clear();
  }

  /** Reads a config file's text (a byte-order mark dropped). */
  readConfig(file: string): string | undefined {
    return this.fileSystem.readFile(file)?.replace(/^\uFEFF/, '');
  }

  /**
   * Whether a document is in scope under its config: `include` / `exclude` are relative to the
   * config file's folder, or to the workspace folder when there is no config file. Untitled and
   * other non-file documents are always in scope (the author opened them on purpose).
   */
  isIncluded(uri: string, config: ResolvedConfig): boolean {
    const file = uriToPath(uri);
    if (!file) return true;
    const configPath = config.uri ? uriToPath(config.uri) : undefined;
    const base = configPath ? path.dirname(configPath) : this.folderOf(file) ?? path.dirname(file);
    const rel = path.relative(base, file).split(path.sep).join('/');
    return isIncluded(rel, config);
  }
}

function wrapText(text: string | undefined): { text: string; encoding?: NonUtf8Encoding } | undefined {
  return text === undefined ? undefined : { text: text.replace(/^\uFEFF/, '') };
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
