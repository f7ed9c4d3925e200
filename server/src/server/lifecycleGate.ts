/**
 * The LSP lifecycle, enforced on every incoming message before any handler sees it:
 *
 * - before `initialize`: requests are answered `ServerNotInitialized` (-32002) and notifications
 *   dropped, except `exit`;
 * - a second `initialize` is answered `InvalidRequest` (-32600);
 * - after `shutdown`: requests are answered `InvalidRequest` (-32600) and notifications dropped,
 *   except `exit`;
 * - `exit` ends the process with 0 after `shutdown`, 1 otherwise (vscode-languageserver does it).
 *
 * It is a `MessageStrategy` given to `createConnection`, so it also covers the library's own
 * handlers (`TextDocuments`, `shutdown`). A refused request is rewritten to `REJECTED_METHOD`,
 * whose handler (registered by `registerLifecycle`) answers the error, so the answer still goes
 * through the connection in order with the others.
 */
import { Message, type MessageStrategy, type RequestMessage } from 'vscode-languageserver/node';

/** The internal method a refused request is rewritten to; its params say which error to answer. */
export const REJECTED_METHOD = 'x1051/$rejected';

/** Params of a refused request. */
export interface RejectedParams {
  code: number;
  message: string;
}

/** Where the server is in its lifecycle. */
export type LifecycleState = 'new' | 'initialized' | 'shutdown';

/** Tracks the lifecycle and filters messages accordingly. */
export class LifecycleGate implements MessageStrategy {
  state: LifecycleState = 'new';

  handleMessage(message: Message, next: (message: Message) => void | Promise<void>): void | Promise<void> {
    if (Message.isRequest(message)) return next(this.request(message));
    if (Message.isNotification(message)) {
      if (message.method === 'exit' || this.state === 'initialized') return next(message);
      // Dropped: before initialize and after shutdown only exit counts.
      return;
    }
    return next(message);
  }

  private request(message: RequestMessage): RequestMessage {
    const reject = (code: number, text: string): RequestMessage => ({ ...message, method: REJECTED_METHOD, params: { code, message: text } satisfies RejectedParams });
    switch (this.state) {
      case 'new':
        if (message.method === 'initialize') {
          this.state = 'initialized';
          return message;
        }
        return reject(-32002, `the server is not initialized: '${message.method}' before 'initialize'`);
      case 'initialized':
        if (message.method === 'initialize') return reject(-32600, "'initialize' was already received");
        if (message.method === 'shutdown') this.state = 'shutdown';
        return message;
      case 'shutdown':
        return reject(-32600, `the server is shut down: '${message.method}' after 'shutdown'`);
    }
  }
}
