/**
 * Commands and control documents: `x1051/controlDocument` (the Markdown of a control's
 * read-only document).
 */
import { ControlDocumentRequest } from '../protocol';
import type { ServerContext } from './context';

/** Registers the command-like requests. */
export function registerCommands(ctx: ServerContext): void {
  ctx.connection.onRequest(
    ControlDocumentRequest,
    ctx.safe('controlDocument', null, (p) => (p && typeof p.id === 'string' ? ctx.service.controlDocument(p.id, p.lang === 'en' ? 'en' : 'ja') ?? null : null)),
  );
}
