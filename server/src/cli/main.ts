/**
 * The `x1051` command line (bundled as `dist/cli.js`, launched by `bin/x1051.js`).
 *
 * A small dispatcher over an explicit registry of commands. Each command is a data object
 * (name, summary, usage, run) in its own file; add a command by adding one line to `COMMANDS`.
 *
 * Exit codes: 0 success, 1 the command ran and found problems (e.g. `check` findings),
 * 2 usage errors (unknown command, unknown id, bad option) and I/O errors (a path, a config or the
 * catalogue that cannot be read), each reported in one line on stderr. Anything unexpected is an
 * error too (2), never a "found problems" 1.
 */
// First: the V8 settings must be made before any other module's code runs (see v8Tuning.ts).
import '../v8Tuning';
import { version } from '../../../package.json';
import { showCommand } from './show';
import { catalogCommand } from './catalog';
import { checkCommand } from './check';
import { coverageCommand } from './coverage';
import { migrateCommand } from './migrate';
import { lspCommand } from './lsp';
import { IoError, UsageError, escapeControls, maxOf, type CliCommand, type CliIO } from './command';

export { IoError, UsageError, type CliCommand, type CliIO } from './command';

// ---------------------------------------------------------------------------------------------
// COMMAND REGISTRY: one line per command, in the order `--help` lists them. To add a command,
// write it as a `CliCommand` in its own file, import it above and add it here.
// ---------------------------------------------------------------------------------------------
export const COMMANDS: CliCommand[] = [
  checkCommand,
  coverageCommand,
  migrateCommand,
  showCommand,
  catalogCommand,
  lspCommand,
];

/** The general usage text. */
export function usage(): string {
  const width = maxOf(COMMANDS.map((c) => c.name.length), 0);
  return [
    'Usage: x1051 <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: x1051 <command> --help)',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    (name === undefined ? io.stderr : io.stdout)(topic ? topic.usage : usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`x1051: unknown command '${escapeControls(name)}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`x1051 ${command.name}: ${escapeControls(err.message)}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof IoError) {
      io.stderr(`x1051 ${command.name}: ${escapeControls(err.message)}\n`);
      return 2;
    }
    // Unexpected: still one line and exit 2 (1 means "the check found problems").
    io.stderr(`x1051 ${command.name}: internal error: ${escapeControls(firstLine((err as Error)?.message ?? String(err)))}\n`);
    return 2;
  }
}

const firstLine = (s: string) => s.split('\n', 1)[0];

/** The IO of the real process. */
export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

// Run when this bundle is the program: directly (`node dist/cli.js`) or through the launcher
// `bin/x1051.js`, which only requires the bundle. Setting exitCode (not calling exit) lets large
// outputs to a pipe finish writing.
const entry = require.main?.filename ?? '';
if (require.main === module || /[\\/]bin[\\/]x1051(?:\.js)?$/.test(entry)) {
  // A reader that goes away (`x1051 coverage | head -1`) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`x1051: cannot write the output (${err.code ?? err.message})\n`);
    process.exit(2);
  });
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`x1051: internal error: ${escapeControls(firstLine((err as Error)?.message ?? String(err)))}\n`);
      process.exitCode = 2;
    },
  );
}
