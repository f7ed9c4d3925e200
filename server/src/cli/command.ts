/**
 * Types shared by the `x1051` commands. Kept apart from `main.ts` so that command files import
 * them without importing the dispatcher (which imports every command).
 */

/** Where a command writes. Injected so tests can run commands in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal: commands may use bold headings then. */
  isTTY: boolean;
  /** True when stderr is a terminal: `check` and `coverage` show their progress there then. */
  stderrIsTTY?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** One `x1051 <name>` command, registered in `COMMANDS` of `main.ts`. */
export interface CliCommand {
  name: string;
  /** One line for `x1051 --help`. */
  summary: string;
  /** Full usage, printed by `x1051 <name> --help` and on usage errors. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[], io: CliIO): number | Promise<number>;
}

/** Thrown by commands for usage errors; the dispatcher prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Thrown by commands for I/O errors that stop the whole command (a `--config` or `--catalog`
 * that cannot be read); the dispatcher prints the one-line message (escaped) and exits 2.
 */
export class IoError extends Error {
  override readonly name = 'IoError';
}

/**
 * Makes text safe to print on a terminal: C0 and C1 control characters (ESC, BEL, CR, the CSI
 * introducer…) and bidirectional overrides become visible escapes (`\x1b`, `\u202e`), so a file
 * name or a directive argument cannot move the cursor, clear the screen or set the title. Line
 * feeds and tabs are escaped too unless `keepNewlines` (multi-line text of our own).
 */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (keepNewlines && (ch === '\n' || ch === '\t')) return ch;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The largest of `values` (`init` when there are none), without spreading them onto the stack. */
export function maxOf(values: Iterable<number>, init = -Infinity): number {
  let max = init;
  for (const v of values) if (v > max) max = v;
  return max;
}

/**
 * Splits arguments into positionals and `--name value` / `--name=value` options. `flags` names
 * the options that take no value. Unknown options are the command's business.
 */
export function parseArgs(args: string[], flags: string[] = []): { positionals: string[]; options: Map<string, string | true> } {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      for (let j = i + 1; j < args.length; j++) positionals.push(args[j]);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) options.set(name, a.slice(eq + 1));
      else if (flags.includes(name)) options.set(name, true);
      else if (i + 1 < args.length) options.set(name, args[++i]);
      else throw new UsageError(`option --${name} needs a value`);
    } else {
      positionals.push(a);
    }
  }
  return { positionals, options };
}
