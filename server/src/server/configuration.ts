/**
 * The configuration of each document: the editor settings merged under the governing
 * `.x1051.yaml`, cached per config file until the settings or a config file change.
 */
import * as path from 'node:path';
import type { Finding, ResolvedConfig } from '../service';
import { parseConfig } from '../service/config';
import { mergeConfig, readSettings, SECTION, toServiceOptions } from '../settings';
import { CONFIG_FILE, pathToUri, uriToPath } from '../workspace';
import type { ServerContext } from './context';

/** True for the uri of a `.x1051.yaml`. */
export function isConfigUri(uri: string): boolean {
  return uri.endsWith(`/${CONFIG_FILE}`);
}

/** Documents whose config and scope are remembered (beyond it, the memory starts again). */
const MAX_REMEMBERED_URIS = 100_000;

/** Merged configurations per config file, and where the config files are. */
export class Configurations {
  /** Merged configs per config file path ('' for none); cleared when settings or a file change. */
  private readonly configs = new Map<string, { config: ResolvedConfig; findings: Finding[] }>();
  /** The config files governing some document (`configUris`), until something invalidates it. */
  private knownConfigUris: string[] | undefined;
  /**
   * Each document's config, and whether it is in scope, by uri: coverage and indexing ask for
   * every document of the workspace at each change (a uri parse, a walk up the folders and a glob
   * match each time). Cleared with the merged configs: every change of settings, config files or
   * folders clears both.
   */
  private readonly configByUri = new Map<string, ResolvedConfig>();
  private readonly includedByUri = new Map<string, boolean>();

  constructor(private readonly ctx: ServerContext) {}

  /** Forgets the merged configs and where config files are (settings or a config changed). */
  clear(): void {
    this.configs.clear();
    this.knownConfigUris = undefined;
    this.configByUri.clear();
    this.includedByUri.clear();
  }

  /** Forgets only the list of config files (a file appeared or disappeared). */
  forgetConfigUris(): void {
    this.knownConfigUris = undefined;
  }

  /** The merged config of a config file (or of the settings alone) and the file's own findings. */
  entry(configPath: string | undefined): { config: ResolvedConfig; findings: Finding[] } {
    const { ctx } = this;
    const key = configPath ?? '';
    let entry = this.configs.get(key);
    if (entry) return entry;
    if (!configPath) {
      entry = { config: mergeConfig(ctx.settings, ctx.fallbackLanguage), findings: [] };
    } else {
      const text = ctx.workspace.readConfig(configPath);
      const uri = pathToUri(configPath);
      // The open editor's text of the config file wins over the disk.
      const open = ctx.openDocument(uri);
      const parsed = parseConfig(open?.getText() ?? text ?? '', uri, ctx.catalog, toServiceOptions(ctx.settings, ctx.fallbackLanguage));
      entry = { config: mergeConfig(ctx.settings, ctx.fallbackLanguage, parsed.config), findings: parsed.findings };
    }
    this.configs.set(key, entry);
    return entry;
  }

  /** The configuration of a document (the same object while nothing changes, for the caches). */
  readonly configFor = (uri: string): ResolvedConfig => {
    let config = this.configByUri.get(uri);
    if (config) return config;
    const file = uriToPath(uri);
    config = this.entry(file ? this.ctx.workspace.configFileFor(file) : undefined).config;
    if (this.configByUri.size >= MAX_REMEMBERED_URIS) this.configByUri.clear();
    this.configByUri.set(uri, config);
    return config;
  };

  /** Whether a document is in scope under its config (`include` / `exclude`). */
  readonly isIncluded = (uri: string): boolean => {
    let included = this.includedByUri.get(uri);
    if (included !== undefined) return included;
    included = this.ctx.workspace.isIncluded(uri, this.configFor(uri));
    if (this.includedByUri.size >= MAX_REMEMBERED_URIS) this.includedByUri.clear();
    this.includedByUri.set(uri, included);
    return included;
  };

  /** The workspace-level config: the one at the first folder's root, for applicability. */
  workspaceConfig(): ResolvedConfig {
    const root = this.ctx.workspace.folderPaths[0];
    return this.entry(root ? this.ctx.workspace.configFileFor(path.join(root, 'x.md')) : undefined).config;
  }

  /** Re-reads the settings through `workspace/configuration` when the client supports it. */
  async fetchSettings(): Promise<void> {
    const { ctx } = this;
    if (ctx.capabilities.workspace?.configuration) {
      try {
        const [raw] = await ctx.connection.workspace.getConfiguration([{ section: SECTION }]);
        ctx.settings = readSettings(raw);
      } catch (error) {
        // Checking goes on with the settings known so far.
        ctx.connection.console.error(`x1051: reading the settings failed: ${String(error)}`);
      }
    }
    this.clear();
  }

  /**
   * Uris of the config files that govern some document of the workspace. Finding them walks every
   * disk document, so the answer is kept until a config, a folder or a file on disk changes.
   */
  configUris(): string[] {
    this.knownConfigUris ??= this.findConfigUris();
    return this.knownConfigUris;
  }

  private findConfigUris(): string[] {
    const { workspace } = this.ctx;
    const uris = new Set<string>();
    for (const root of workspace.folderPaths) {
      const found = workspace.configFileFor(path.join(root, 'x.md'));
      if (found) uris.add(pathToUri(found));
    }
    for (const uri of workspace.diskUris()) {
      const file = uriToPath(uri);
      const found = file ? workspace.configFileFor(file) : undefined;
      if (found) uris.add(pathToUri(found));
    }
    return [...uris];
  }
}
