/**
 * Validation of request params at the boundary: a malformed request (`textDocument: {}`, a
 * position that is not two non-negative integers) is answered `InvalidParams` (-32602) naming
 * the field, instead of failing inside a feature.
 */
import { ErrorCodes, ResponseError, type Position, type Range } from 'vscode-languageserver/node';

function invalid(method: string, what: string): never {
  throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The `textDocument.uri` of a request's params. */
export function documentUri(method: string, params: unknown): string {
  if (!isObject(params)) invalid(method, 'params must be an object');
  const td = params.textDocument;
  if (!isObject(td) || typeof td.uri !== 'string' || td.uri === '') invalid(method, 'textDocument.uri must be a non-empty string');
  return td.uri;
}

/** A `Position` field of a request's params. */
export function position(method: string, value: unknown, field = 'position'): Position {
  if (!isObject(value) || !isIndex(value.line) || !isIndex(value.character)) invalid(method, `${field} must be { line, character } with non-negative integers`);
  return { line: value.line, character: value.character };
}

/** A `Range` field of a request's params. */
export function range(method: string, value: unknown, field = 'range'): Range {
  if (!isObject(value)) invalid(method, `${field} must be { start, end }`);
  return { start: position(method, value.start, `${field}.start`), end: position(method, value.end, `${field}.end`) };
}

/** A string field (a query). */
export function text(method: string, value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(method, `${field} must be a string`);
  return value;
}
