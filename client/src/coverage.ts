/**
 * Workspace coverage as the client keeps it: fetched from the server with `x1051/coverage` once
 * the server is ready, and again each time the server sends `x1051/coverageChanged`. The sidebar,
 * the status bar and the export command all read the same snapshot, so they never disagree.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type Coverage, CoverageRequest, CoverageChangedNotification } from './protocol';

type CoverageReport = Coverage;

/** Holds the latest coverage report and tells listeners when it changes. */
export class CoverageStore implements vscode.Disposable {
  private report: CoverageReport | undefined;
  private readonly emitter = new vscode.EventEmitter<CoverageReport | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private inFlight: Promise<CoverageReport | undefined> | undefined;
  private again = false;

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
          const report = await this.client.sendRequest(CoverageRequest, {});
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

  private set(report: CoverageReport): void {
    this.report = report;
    this.emitter.fire(report);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function isReport(value: unknown): value is CoverageReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as CoverageReport).controls);
}
