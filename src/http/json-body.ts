/**
 * @module http/json-body
 * The JSON body parser, over webhooks/json-body: prototype-poisoning keys refused, nesting depth
 * bounded, an empty body read as `{}`. Routes that must see the raw bytes first (the webhook
 * trigger: signature before JSON) set `config.rawBody` and get the Buffer untouched.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonBody } from '../webhooks/json-body.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler receives the body as a Buffer and parses it itself. */
    rawBody?: boolean;
  }
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
