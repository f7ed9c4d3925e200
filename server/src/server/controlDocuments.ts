/**
 * Control documents (the target of go-to-definition on a control id and of control workspace
 * symbols) for every kind of client.
 *
 * The service names them `x1051-control:/TEL.18.1.6.md?lang=ja`. How a client gets their text:
 * - `client`: the client serves the scheme itself through `x1051/controlDocument` (the VS Code
 *   extension says so with `initializationOptions.controlDocuments: "client"`);
 * - `content`: the client supports LSP 3.18 `workspace/textDocumentContent`; the server
 *   announces the scheme and answers that request;
 * - `file`: anything else. The uri is replaced by a read-only generated Markdown file under the
 *   user's cache folder (`$XDG_CACHE_HOME/x1051/controls/<lang>/<id>.md`, by default
 *   `~/.cache`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows), which any editor
 *   can open. Files are rewritten only when the catalogue's text changed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, ResponseError, TextDocumentContentRequest, type InitializeParams } from 'vscode-languageserver/node';
import { CONTROL_SCHEME, parseControlDocumentUri, type Lang } from '../service';
import { pathToUri, uriToPath } from '../workspace';
import type { ServerContext } from './context';

/** How control documents reach the client. */
export type ControlDocumentMode = 'client' | 'content' | 'file';

/** The mode for a client, from its capabilities and initialization options. */
export function controlDocumentMode(params: Pick<InitializeParams, 'capabilities' | 'initializationOptions'>): ControlDocumentMode {
  const init = params.initializationOptions as { controlDocuments?: unknown } | undefined;
  if (init?.controlDocuments === 'client') return 'client';
  if (params.capabilities.workspace?.textDocumentContent) return 'content';
  return 'file';
}

/** The user's cache folder for x1051 (`$XDG_CACHE_HOME/x1051` and the platform equivalents). */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  let base: string;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) base = env.XDG_CACHE_HOME;
  else if (platform === 'darwin') base = path.join(home, 'Library', 'Caches');
  else if (platform === 'win32') base = env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
  else base = path.join(home, '.cache');
  return path.join(base, 'x1051');
}

/** Maps control document uris to what the client can open, writing files when needed. */
export class ControlDocuments {
  mode: ControlDocumentMode = 'file';
  private readonly folder: string;
  /** Files written (or checked) by this server: path → text. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly ctx: ServerContext,
    folder?: string,
  ) {
    this.folder = path.resolve(folder ?? path.join(cacheFolder(), 'controls'));
  }

  /** The uri the client should open for a `x1051-control:` uri (others are returned unchanged). */
  resolve(uri: string): string {
    if (this.mode !== 'file' || !uri.startsWith(`${CONTROL_SCHEME}:`)) return uri;
    const parsed = parseControlDocumentUri(uri);
    if (!parsed) return uri;
    const file = this.ensureFile(parsed.id, parsed.lang);
    return file ? pathToUri(file) : uri;
  }

  /** True when `uri` is one of the generated control files (not a policy of the workspace). */
  isControlFile(uri: string): boolean {
    const file = uriToPath(uri);
    return file !== undefined && file.startsWith(this.folder + path.sep);
  }

  /** The text of a control document uri (for `workspace/textDocumentContent`), or undefined. */
  text(uri: string): string | undefined {
    const parsed = parseControlDocumentUri(uri);
    return parsed ? this.ctx.service.controlDocument(parsed.id, parsed.lang) : undefined;
  }

  /** Writes (when missing or outdated) the read-only file of a control; its path, or undefined. */
  ensureFile(id: string, lang: Lang): string | undefined {
    const text = this.ctx.service.controlDocument(id, lang);
    if (text === undefined) return undefined;
    const file = path.join(this.folder, lang, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.md`);
    if (this.written.get(file) === text) return file;
    try {
      let current: string | undefined;
      try {
        current = fs.readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== text) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written beside and renamed over, so a reader never sees half a file; read-only, since
        // an edit there would be lost at the next write.
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text, { mode: 0o444 });
        if (process.platform === 'win32') fs.rmSync(file, { force: true });
        fs.renameSync(tmp, file);
      }
      this.written.set(file, text);
      return file;
    } catch (error) {
      this.ctx.connection.console.error(`x1051: writing the control document ${file} failed: ${String(error)}`);
      return undefined;
    }
  }
}

/** Registers `workspace/textDocumentContent` for the `x1051-control` scheme. */
export function registerControlDocuments(ctx: ServerContext, controls: ControlDocuments): void {
  ctx.connection.onRequest(
    TextDocumentContentRequest.type,
    ctx.safe('textDocumentContent', { text: '' }, (p) => {
      if (!p || typeof p.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'workspace/textDocumentContent expects { uri: string }');
      const text = controls.text(p.uri);
      if (text === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `no control document at ${p.uri}`);
      return { text };
    }),
  );
}
