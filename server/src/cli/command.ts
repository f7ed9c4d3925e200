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
 * Splits arguments into positionals and `--name value` / `--name=value` options. `flags` names
 * the options that take no value. Unknown options are the command's business.
 */
export function parseArgs(args: string[], flags: string[] = []): { positionals: string[]; options: Map<string, string | true> } {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
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
