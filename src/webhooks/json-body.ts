/**
 * @module webhooks/json-body
 * Reads a request body as JSON the way every door does: an empty body is `{}`, prototype-poisoning
 * keys are refused, nesting depth is bounded. The webhook trigger calls it itself, after checking
 * the signature over the raw bytes; the HTTP body parser (http/json-body) calls it for every
 * other JSON route.
 */
import secureJson from 'secure-json-parse';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/json-depth.ts';
import { AppError } from '../errors.ts';

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0 || raw.toString('utf8').trim() === '') return {};
  let value: unknown;
  try {
    value = secureJson.parse(raw.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = error instanceof SyntaxError ? error.message : 'Object contains forbidden prototype property';
    throw new AppError('INVALID_JSON', `Request body is not valid JSON: ${message}`);
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    throw new AppError('BAD_REQUEST', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}
