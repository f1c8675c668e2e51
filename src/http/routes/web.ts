/**
 * @module http/routes/web
 * The browser app at `/`: hashed assets cached for a year, every other page path (deep links such
 * as /workflows/:id) answers index.html so the app's router takes over. /api, /health, /metrics
 * and /docs keep their own answers (an unknown one is the JSON 404), never the app.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface WebRoutesOptions {
  /** The Vite build output (index.html and assets/); default dist/web of this package. */
  readonly root?: string;
}

const RESERVED = /^\/(api|health|metrics|docs)(\/|$|\?)/;

/**
 * The app's policy: scripts only from this origin (no inline script, no eval) and requests only
 * back to it. Inline styles stay allowed because the canvas and the code editor position and
 * theme elements with style attributes and injected style sheets.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The package root: the nearest directory above this module with a package.json. */
function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Workflow Core</title>
<p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it).</p>`;

export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, options) => {
  const root = resolve(options.root ?? join(packageRoot(), 'dist', 'web'));
  await app.register(fastifyStatic, { root, serve: false });
  const publicAccess = { access: { kind: 'public' } } as const;

  const isFile = (relative: string) => {
    const full = join(root, relative);
    return full.startsWith(root) && existsSync(full) && statSync(full).isFile();
  };

  app.get('/*', { config: publicAccess, schema: { hide: true } }, async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0]);
    if (RESERVED.test(path)) return reply.callNotFound();
    secureHeaders(reply);
    const relative = path.replace(/^\/+/, '');
    if (relative && relative !== 'index.html' && isFile(relative)) {
      // Vite names everything under assets/ by content hash: safe to cache forever.
      const hashed = relative.startsWith('assets/');
      return reply.sendFile(relative, { maxAge: hashed ? '365d' : '1h', immutable: hashed });
    }
    // A missing file (an extension in the last segment) is a 404; anything else is a page of the app.
    if (/\.[a-z0-9]+$/i.test(relative)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    if (!isFile('index.html')) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.sendFile('index.html', { cacheControl: false });
  });
};
