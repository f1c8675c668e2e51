/**
 * Run by scripts/test.mjs after each integration pass (not a *.test.ts: it needs the whole pass
 * recorded first). Reads what the response audit recorded (src/http/response-audit.ts): every
 * route and status the suite was answered with must be in the OpenAPI document, and no answer
 * may have been changed by its response schema.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '../src/http/response-audit.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { isPageRoute, loadDocument, type OpenApiDocument, operationOf } from './helpers/openapi.ts';

const dir = process.env.RESPONSE_AUDIT_DIR;

function recorded(): AuditRecord[] {
  assert.ok(dir, 'RESPONSE_AUDIT_DIR is not set: run this through scripts/test.mjs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as AuditRecord);
}

describe("the suite's answers against the OpenAPI document", () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let records: AuditRecord[];
  before(async () => {
    records = recorded();
    // This app's own answers are not part of the suite: keep them out of the directory.
    t = await createTestApp({ RESPONSE_AUDIT_DIR: '' });
    document = await loadDocument(t);
  });
  after(() => t.close());

  it('has recordings of a suite run', () => {
    assert.ok(records.length > 0, `no recordings in ${dir}`);
  });

  it('no answer was changed by its response schema', () => {
    assert.deepEqual(
      records.flatMap((record) => record.changed),
      [],
    );
  });

  it('every route and status answered in the suite is documented', () => {
    const answered = new Set(records.flatMap((record) => record.answered));
    const undocumented: string[] = [];
    for (const entry of answered) {
      const [method, url, status] = entry.split(' ');
      if (method === 'HEAD' || method === 'OPTIONS' || isPageRoute(url)) continue;
      const operation = operationOf(document, method, url);
      if (!operation) undocumented.push(`${method} ${url} (route not in the document)`);
      else if (!operation.responses[status]) undocumented.push(`${method} ${url} answered ${status}`);
    }
    assert.deepEqual(undocumented.sort(), []);
  });
});
