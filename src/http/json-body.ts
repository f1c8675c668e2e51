/**
 * @module http/json-body
 * The JSON body parser: prototype-poisoning keys refused, nesting depth bounded, an empty body
 * read as `{}`. Routes that must see the raw bytes first (the webhook trigger: signature before
 * JSON) set `config.rawBody` and get the Buffer untouched.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/json-depth.ts';
import { AppError } from '../errors.ts';

export { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/json-depth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler receives the body as a Buffer and parses it itself. */
    rawBody?: boolean;
  }
}

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

export function registerJsonBodyParser(app: FastifyInstance, bodyLimit: number): void {
  // JSON only: a text/plain body is a 415, not a string that fails validation later.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(;.*)?$/i,
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest, body: Buffer, done) => {
      if (request.routeOptions.config?.rawBody) return done(null, body);
      try {
        done(null, parseJsonBody(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
