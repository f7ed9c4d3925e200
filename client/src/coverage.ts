/**
 * Workspace coverage as the client keeps it: fetched from the server with `x1051/coverage` once
 * the server is ready, and again each time the server sends `x1051/coverageChanged`. The sidebar,
 * the status bar and the export command all read the same snapshot, so they never disagree.
 *
 * The snapshot is the compact form (see `server/src/coverageWire.ts`: without the claims' heading
 * text and with each item's first evidence only), expanded into the usual shape; `details` fetches
 * the full coverage of a control the user expands, once per snapshot.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type ControlCoverage, type Coverage, CoverageDetailsRequest, CoverageRequest, CoverageChangedNotification, expandCoverage, isCompactCoverage } from './protocol';

type CoverageReport = Coverage;

/** Holds the latest coverage report and tells listeners when it changes. */
export class CoverageStore implements vscode.Disposable {
  private report: CoverageReport | undefined;
  private readonly emitter = new vscode.EventEmitter<CoverageReport | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private inFlight: Promise<CoverageReport | undefined> | undefined;
  private again = false;
  /** Full coverage of expanded controls, for the current snapshot only. */
  private readonly detailed = new Map<string, Promise<ControlCoverage | undefined>>();

  /** Fires with the new report after every successful fetch. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly client: LanguageClient,
    ready: Promise<void>,
  ) {
    ready.then(
      () => {
        this.disposables.push(
          client.onNotification(CoverageChangedNotification, () => void this.refresh()),
        );
        void this.refresh();
      },
      () => undefined,
    );
  }

  /** The latest report, or undefined before the first answer. */
  get current(): CoverageReport | undefined {
    return this.report;
  }

  /**
   * Asks the server for the coverage. Calls made while a request is in flight are folded into one
   * follow-up request, so a burst of change notifications costs at most two round trips.
   */
  refresh(): Promise<CoverageReport | undefined> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.again = false;
          const answer = await this.client.sendRequest(CoverageRequest, { format: 'compact' });
          const report = isCompactCoverage(answer) ? expandCoverage(answer) : answer;
          if (isReport(report)) this.set(report);
        } while (this.again);
      } catch (error) {
        this.client.warn(`Coverage request failed: ${String(error)}`);
      } finally {
        this.inFlight = undefined;
      }
      return this.report;
    })();
    return this.inFlight;
  }

  /** Returns the current report, fetching it first when there is none yet. */
  async get(): Promise<CoverageReport | undefined> {
    return this.report ?? (await this.refresh());
  }

  /**
   * The full coverage of one control (every claim with its heading, every piece of evidence), for
   * the snapshot the listeners last saw; undefined when the server cannot say.
   */
  details(id: string): Promise<ControlCoverage | undefined> {
    let pending = this.detailed.get(id);
    if (!pending) {
      pending = this.client.sendRequest(CoverageDetailsRequest, { controls: [id] }).then(
        (answer) => answer?.find((c) => c.id === id),
        (error) => {
          this.client.warn(`Coverage details request failed: ${String(error)}`);
          this.detailed.delete(id);
          return undefined;
        },
      );
      this.detailed.set(id, pending);
    }
    return pending;
  }

  private set(report: CoverageReport): void {
    this.report = report;
    this.detailed.clear();
    this.emitter.fire(report);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function isReport(value: unknown): value is CoverageReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as CoverageReport).controls);
}
