/**
 * @module http/routes/docs
 * `GET /docs/openapi.json`, the OpenAPI document, and `GET /docs`, an interactive reference over it
 * (Swagger UI, its assets served from the package: no CDN, no inline script). The UI's pages get a
 * Content-Security-Policy of their own, whatever the web app's is.
 */
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { setScopeAccess } from '../access.ts';

/** Swagger UI sets style attributes from script, and its logo is a data: URL. */
export const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

const DocumentAnswer = Type.Unsafe<unknown>({
  type: 'object',
  additionalProperties: true,
  description: 'This document (OpenAPI 3.1)',
});

export const docsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/docs/openapi.json',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags: ['system'],
        summary: 'The OpenAPI document',
        description: 'What GET /docs shows, for client generators and tools.',
        response: { 200: DocumentAnswer },
      },
    },
    async () => app.swagger(),
  );

  await app.register(async (ui) => {
    setScopeAccess(ui, { kind: 'public' });
    ui.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', DOCS_CSP);
      return payload;
    });
    await ui.register(swaggerUi, {
      routePrefix: '/docs',
      theme: { title: 'Workflow Core API' },
      uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0, displayRequestDuration: true },
      staticCSP: false,
    });
  });
};
