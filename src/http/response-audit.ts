/**
 * @module http/response-audit
 * Test support, on when RESPONSE_AUDIT_DIR is set (the test runner sets it): every answer's route
 * and status are recorded in that directory, so a check after the suite can hold them to the
 * OpenAPI document; and an answer that its response schema changed while serializing (a field
 * dropped, a null turned into "", a number rounded) becomes a 500 naming what changed, so the
 * test that got it fails where it happened.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface AuditRecord {
  /** "GET /api/v1/workflows/:workflow_id 200" */
  readonly answered: string[];
  readonly changed: string[];
}

let files = 0;

/** Paths (`$.data.name`) where `actual` differs from `expected`, at most `limit` of them. */
export function differences(expected: unknown, actual: unknown, path = '$', limit = 10): string[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  const bothObjects =
    expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object';
  if (!bothObjects || Array.isArray(expected) !== Array.isArray(actual)) {
    return [`${path}: ${JSON.stringify(expected)?.slice(0, 80)} became ${JSON.stringify(actual)?.slice(0, 80)}`];
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const found: string[] = [];
  for (const key of keys) {
    if (found.length >= limit) break;
    const at = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`;
    found.push(
      ...differences(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        at,
        limit - found.length,
      ),
    );
  }
  return found;
}

export function registerResponseAudit(app: FastifyInstance, dir: string): void {
  const answered = new Set<string>();
  const changed: string[] = [];
  const sent = new WeakMap<FastifyRequest, string>();

  app.addHook('preSerialization', async (request, _reply, payload) => {
    sent.set(request, JSON.stringify(payload));
    return payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const original = sent.get(request);
    if (original === undefined || typeof payload !== 'string') return payload;
    const found = differences(JSON.parse(original), JSON.parse(payload));
    if (found.length === 0) return payload;
    const where = `${request.method} ${request.routeOptions.url} ${reply.statusCode}`;
    changed.push(`${where}: ${found.join('; ')}`);
    reply.code(500);
    return JSON.stringify({
      success: false,
      error: {
        code: 'INTERNAL_ERROR',
        message: `the response schema of ${where} changed the answer: ${found.join('; ')}`,
        details: {},
      },
    });
  });

  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    if (url !== undefined) answered.add(`${request.method} ${url} ${reply.statusCode}`);
  });

  app.addHook('onClose', async () => {
    const record: AuditRecord = { answered: [...answered], changed };
    writeFileSync(join(dir, `${process.pid}-${++files}.json`), JSON.stringify(record));
  });
}
