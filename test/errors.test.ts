import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../src/errors.ts';

// The spec sits beside the repository (../shared), as it does for developers and CI.
const reference = readFileSync(join(import.meta.dirname, '..', '..', 'shared', 'spec', 'api-reference.md'), 'utf8');

describe('error registry', () => {
  it('holds every code of the reference table with its HTTP status', () => {
    const table = reference.slice(reference.indexOf('### Error Code Reference'));
    const rows = [...table.matchAll(/^\| ([A-Z_]+) \| (\d{3}) \|/gm)];
    assert.ok(rows.length >= 17, 'the reference table was found');
    for (const [, code, status] of rows) {
      const entry = ERROR_CODES[code as keyof typeof ERROR_CODES];
      assert.ok(entry, `${code} is in errors.ts`);
      assert.equal(entry.http, Number(status), `${code} answers ${status}`);
    }
  });

  it('holds the codes PRODUCT.md adds', () => {
    assert.equal(ERROR_CODES.VALIDATION_FAILED.http, 400);
    assert.equal(ERROR_CODES.WORKFLOW_NOT_ACTIVE.http, 409);
    assert.equal(ERROR_CODES.EXECUTION_NOT_FOUND.http, 404);
    assert.equal(ERROR_CODES.VERSION_CONFLICT.http, 409);
  });
});
