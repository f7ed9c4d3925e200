/**
 * `x1051 lsp --stdio`: the language server, started from the command line (for Neovim, Helix,
 * Emacs, Zed, Sublime LSP and any other LSP client). It runs the bundled server (`server.js`,
 * next to `cli.js` in `dist/`) in this process, with the transport given on the command line;
 * the process ends with the protocol's `exit` (0 after `shutdown`, 1 otherwise).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { UsageError, type CliCommand, type CliIO } from './command';

const USAGE = [
  'Usage: x1051 lsp --stdio',
  '',
  'Starts the X.1051 language server. Transports: --stdio (what editors use), --node-ipc,',
  '--socket=<port>, --pipe=<name>; --clientProcessId=<pid> ends the server with its client.',
  'Settings come from the client (workspace/configuration, initializationOptions.settings or',
  'workspace/didChangeConfiguration), as in README.md, "Other editors".',
  '',
].join('\n');

const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;
const OTHER = /^--clientProcessId=\d+$/;

/** The `lsp` command. */
export const lspCommand: CliCommand = {
  name: 'lsp',
  summary: 'start the language server for any LSP editor (x1051 lsp --stdio)',
  usage: USAGE,
  run(args: string[], io: CliIO): Promise<number> | number {
    const transports = args.filter((a) => TRANSPORT.test(a));
    const unknown = args.find((a) => !TRANSPORT.test(a) && !OTHER.test(a));
    if (unknown !== undefined) throw new UsageError(`unexpected argument '${unknown}'`);
    if (transports.length !== 1) throw new UsageError('give one transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>');
    const server = path.join(__dirname, 'server.js');
    if (!fs.existsSync(server)) {
      io.stderr(`x1051 lsp: the language server bundle is missing (${server}); run \`npm run build\`\n`);
      return 2;
    }
    // The server reads its transport from process.argv, which holds the arguments given here.
    createRequire(__filename)(server);
    // It runs until the client's `exit`, which ends the process.
    return new Promise<number>(() => undefined);
  },
};
