/**
 * Progress of a long `x1051 check` / `x1051 coverage` on a terminal: one line on stderr,
 * "x1051 check: 120/1000 files", rewritten in place and cleared at the end. Printed only when
 * stderr is a terminal (`io.stderrIsTTY`): pipes, CI logs, redirected JSON/SARIF never see it,
 * and stdout is never touched. `TERM=dumb` (no cursor control) turns it off too.
 */
import type { CliIO } from './command';

/** Erase the current terminal line and go back to its start. */
const CLEAR_LINE = '\r\x1b[2K';

/** Files done so far, shown while a command works. */
export interface Progress {
  /** True when something is printed (stderr is a terminal). */
  readonly active: boolean;
  /** One more file is done. */
  tick(): void;
  /** Clears the line (idempotent); anything printed afterwards starts on a clean line. */
  end(): void;
}

/**
 * Starts the progress of `command` over `total` files. Rewrites are throttled to one per
 * `intervalMs` (the first and the last are always shown); `now` is injectable for tests.
 */
export function startProgress(io: CliIO, command: string, total: number, intervalMs = 100, now: () => number = Date.now): Progress {
  if (!io.stderrIsTTY || io.env.TERM === 'dumb' || total <= 0) return { active: false, tick() {}, end() {} };
  let done = 0;
  let last = -Infinity;
  let shown = false;
  let ended = false;
  const show = () => {
    last = now();
    shown = true;
    io.stderr(`${CLEAR_LINE}x1051 ${command}: ${done}/${total} files`);
  };
  show();
  return {
    active: true,
    tick() {
      if (ended) return;
      done++;
      if (done >= total || now() - last >= intervalMs) show();
    },
    end() {
      if (ended) return;
      ended = true;
      if (shown) io.stderr(CLEAR_LINE);
    },
  };
}
