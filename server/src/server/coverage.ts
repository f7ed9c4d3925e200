/**
 * Workspace coverage: the `x1051/coverage` request, the coalesced `x1051/coverageChanged`
 * notification, and the findings published on config files (they depend on every document).
 */
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { compactCoverage } from '../coverageWire';
import { CoverageChangedNotification, CoverageDetailsRequest, CoverageRequest, type CoverageDetailsParams, type CoverageParams } from '../protocol';
import { canonicalUri, uriToPath } from '../workspace';
import type { Checker } from './checking';
import type { Configurations } from './configuration';
import type { ServerContext } from './context';
import { toDiagnostic } from './convert';
import { analyseWorkspace } from './features';

/** Coalescing delay of `x1051/coverageChanged`. */
export const COVERAGE_NOTIFY_MS = 300;

/** Publishes coverage changes and config-file findings. */
export class CoverageNotifier {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly configs: Configurations,
  ) {}

  /**
   * Publishes a config file's own findings plus the workspace findings placed on it, from the
   * analyses finished so far: the checks still running or due publish again when they end.
   */
  publishConfig(uri: string, coverage = this.ctx.service.coverageSoFar(this.configs.workspaceConfig())): void {
    const file = uriToPath(uri);
    if (!file) return;
    const entry = this.configs.entry(file);
    const onFile = coverage.findings.filter((f) => canonicalUri(f.uri) === canonicalUri(uri));
    this.ctx.publish(uri, [...entry.findings, ...onFile].map((f) => toDiagnostic(f, this.ctx.capabilities, uri)));
  }

  /** Tells the client, at most once per `COVERAGE_NOTIFY_MS`, that the coverage changed. */
  notify(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ctx.safeRun('coverage notification', () => {
        // From the analyses finished so far, never analysing here: a document opened or edited
        // meanwhile may still wait for its check (a timer of this same turn), and analysing it
        // on this thread without a budget could take minutes (a pathological policy). Every
        // check that ends asks for another notification.
        const coverage = this.ctx.service.coverageSoFar(this.configs.workspaceConfig());
        void this.ctx.connection.sendNotification(CoverageChangedNotification, { summary: coverage.summary });
        // Findings on config files (uncovered-control) depend on every document.
        for (const uri of this.configs.configUris()) this.publishConfig(uri, coverage);
      });
    }, COVERAGE_NOTIFY_MS);
  }

  /** Cancels a pending notification (shutdown). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Registers `x1051/coverage` and `x1051/coverageDetails`. */
export function registerCoverage(ctx: ServerContext, configs: Configurations, checker?: Checker): void {
  ctx.connection.onRequest(
    CoverageRequest,
    ctx.safe('coverage', null, async (params: CoverageParams | null | undefined, token: CancellationToken) => {
      // Stale analyses are brought up to date in steps that yield, so a cancel stops the work.
      await analyseWorkspace(ctx, configs, 'coverage', token, checker);
      const coverage = ctx.service.coverage(configs.workspaceConfig(), token, configs.configFor);
      return params?.format === 'compact' ? compactCoverage(coverage) : coverage;
    }),
  );
  ctx.connection.onRequest(
    CoverageDetailsRequest,
    ctx.safe('coverageDetails', null, async (params: CoverageDetailsParams, token: CancellationToken) => {
      if (!params || !Array.isArray(params.controls) || params.controls.some((c) => typeof c !== 'string')) {
        throw new ResponseError(ErrorCodes.InvalidParams, 'x1051/coverageDetails expects { controls: string[] }');
      }
      await analyseWorkspace(ctx, configs, 'coverageDetails', token, checker);
      const wanted = new Set(params.controls);
      return ctx.service.coverage(configs.workspaceConfig(), token, configs.configFor).controls.filter((c) => wanted.has(c.id));
    }),
  );
}
