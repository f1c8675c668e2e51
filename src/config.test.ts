import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from './config.ts';
import { ConfigError } from './env-readers.ts';

describe('loadConfig: expression and config-size limits', () => {
  test('defaults', () => {
    const config = loadConfig({});
    assert.equal(config.maxConfigStringBytes, 65536);
    assert.equal(config.expressionTimeoutMs, 1000);
    assert.equal(config.expressionWorkers, 2);
    assert.equal(config.expressionMemoryMb, 128);
    assert.equal(config.expressionResultLimitBytes, 1048576);
    assert.equal(config.expressionSequenceLimit, 1_000_000);
  });

  test('a bad value stops the start with a message naming the variable', () => {
    // Above 256 MB a worker's heap no longer fails before V8's fatal size errors.
    assert.throws(
      () => loadConfig({ EXPRESSION_MEMORY_MB: '8192' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^EXPRESSION_MEMORY_MB: must be between 16 and 256/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ MAX_CONFIG_STRING_BYTES: '64k' }), /^ConfigError|MAX_CONFIG_STRING_BYTES/);
    assert.throws(() => loadConfig({ EXPRESSION_WORKERS: '0' }), /EXPRESSION_WORKERS/);
    assert.equal(loadConfig({ EXPRESSION_TIMEOUT_MS: '250' }).expressionTimeoutMs, 250);
  });
});

describe('loadConfig: fair-share caps', () => {
  test('ENTITY_CONCURRENCY defaults to half of EXECUTION_CONCURRENCY, at least 1', () => {
    assert.equal(loadConfig({}).entityConcurrency, 16);
    assert.equal(loadConfig({ EXECUTION_CONCURRENCY: '9' }).entityConcurrency, 4);
    assert.equal(loadConfig({ EXECUTION_CONCURRENCY: '1' }).entityConcurrency, 1);
    assert.equal(loadConfig({ ENTITY_CONCURRENCY: '32' }).entityConcurrency, 32);
  });

  test('an entity cap above the process cap stops the start, naming the variable', () => {
    assert.throws(() => loadConfig({ EXECUTION_CONCURRENCY: '4', ENTITY_CONCURRENCY: '5' }), /ENTITY_CONCURRENCY/);
  });
});
