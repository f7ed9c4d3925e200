/**
 * Entry point of the bundled language server (`dist/server.js`).
 *
 * The transport comes from the command line (`--stdio`, `--node-ipc`, `--socket=<port>`), so the
 * same bundle serves the VS Code client (IPC) and the protocol tests and other editors (stdio,
 * whose messages are written in pieces: see stdioTransport.ts).
 */
// First: the V8 settings must be made before any other module's code runs (see v8Tuning.ts).
import './v8Tuning';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { LifecycleGate } from './server/lifecycleGate';
import { consoleToClient, PiecewiseMessageWriter, stdioRequested } from './stdioTransport';
import { NodeFileSystem } from './workspace';
import { createAnalyser, defaultDictionaryPath, matcherSnapshotReader } from './morphologyHost';

// The lifecycle gate sees every message first: -32002 before initialize, -32600 after shutdown.
const options = { messageStrategy: new LifecycleGate() };
// Over stdio, messages are written in pieces (stdioTransport.ts) and the console goes to the
// client's log, as the library does when it opens stdio; other transports as the library opens them.
const stdio = stdioRequested();
const connection = stdio
  ? createConnection(ProposedFeatures.all, process.stdin, new PiecewiseMessageWriter(process.stdout, { releaseWritten: true }) as unknown as NodeJS.WritableStream, options)
  : createConnection(ProposedFeatures.all, options);
if (stdio) consoleToClient(connection.console);

// A stray exception must never take the server down with it: log it and carry on. The handlers
// are wrapped too; this is the last line of defence for timers and promise callbacks.
process.on('uncaughtException', (error) => connection.console.error(`Uncaught exception: ${error?.stack ?? error}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${String((reason as Error)?.stack ?? reason)}`));

// The analyser reads its dictionaries (dist/dict) on first use, not at start-up.
const dicPath = defaultDictionaryPath(__dirname);
const analyser = createAnalyser({ dicPath, log: (m) => connection.console.warn(m) });
const matcherSnapshot = matcherSnapshotReader(dicPath, (m) => connection.console.warn(m));
startServer(connection, { fs: new NodeFileSystem((message) => connection.console.log(message)), defaultCatalogPath: `${__dirname}/catalog.json`, analyser, matcherSnapshot });
connection.listen();
