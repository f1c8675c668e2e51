/**
 * @module services/run-distribution.suite
 * The one behaviour suite every RunDistribution must pass (run from local-runs.test.ts and
 * shared-runs.test.ts for Redis): every stored run it is handed reaches `run` once, so do the
 * runs a previous process left unfinished, and a cancel of a queued run that runs nowhere ends it
 * here without telling any worker. Each case has a SQLite store of its own; `run` only records.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { createTestDatabase, openMigratedDatabase } from '../../test/helpers/database.ts';
import { loadConfig } from '../config.ts';
import { createMetrics } from '../metrics.ts';
import { createLocalQueue } from '../queue/local-queue.ts';
import type { Db } from '../store/database.ts';
import { insertExecution } from '../store/executions-repository.ts';
import { findUnfinishedExecutions } from '../store/waiting-runs-repository.ts';
import type { RunDistribution, RunDistributionDeps } from './run-distribution.ts';

export interface RunDistributionHarness {
  readonly runs: RunDistribution;
  /** Stops and closes the distribution and removes what it stored outside the process. */
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Until `done()` holds (a shared queue hands jobs over asynchronously), then a moment more, so a
 * second delivery of a run would be seen by the assertion that follows.
 */
async function settle(what: string, done: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`never: ${what} within ${limitMs} ms`);
    await sleep(5);
  }
  await sleep(200);
}

/** A stored run in `status`, as the service inserts it. */
async function storeRun(db: Db, status: 'queued' | 'running'): Promise<string> {
  const executionId = randomUUID();
  const at = new Date().toISOString();
  await insertExecution(db, {
    execution_id: executionId,
    workflow_id: 'w',
    workflow_version: 1,
    status,
    trigger_source: 'api',
    request: '{"trigger_data":{},"variables":{}}',
    metadata: '{}',
    test_mode: 0,
    entity_id: 1,
    cancel_requested: 0,
    queued_at: at,
    updated_at: at,
  });
  return executionId;
}

/** Deps over a store of its own whose `run`, ends and cancel bus record what they are asked. */
async function recordingSetup() {
  const database = await createTestDatabase('sqlite');
  const handle = await openMigratedDatabase(database);
  const ran: string[] = [];
  const ended: [string, string][] = [];
  const published: string[] = [];
  const deps: RunDistributionDeps = {
    config: loadConfig({}),
    logger: pino({ level: 'silent' }),
    db: handle.db,
    metrics: createMetrics(),
    local: createLocalQueue({ concurrency: 4, entityConcurrency: 4 }, () => {}),
    cancels: { publish: async (executionId) => void published.push(executionId) },
    keysOf: async (row) => ({ workflowId: row.workflow_id, entityId: row.entity_id }),
    run: async (executionId) => void ran.push(executionId),
    runsHere: () => false,
    flush: async () => undefined,
    endUnstarted: async (executionId, at) => ended.push([executionId, at]) > 0,
    waitForEnd: async () => undefined,
  };
  return {
    deps,
    db: handle.db,
    ran,
    ended,
    published,
    async close() {
      await handle.close();
      await database.cleanup();
    },
  };
}

export function runRunDistributionSuite(
  name: string,
  open: (deps: RunDistributionDeps) => Promise<RunDistributionHarness>,
): void {
  describe(`run distribution contract (${name})`, () => {
    async function withDistribution(
      body: (setup: Awaited<ReturnType<typeof recordingSetup>>, runs: RunDistribution) => Promise<void>,
    ): Promise<void> {
      const setup = await recordingSetup();
      const { runs, dispose } = await open(setup.deps);
      try {
        await body(setup, runs);
      } finally {
        await dispose();
        await setup.close();
      }
    }

    it('hands every run it is given to run, once, an id given twice while it waits too', async () => {
      await withDistribution(async ({ db, ran }, runs) => {
        const ids = [await storeRun(db, 'queued'), await storeRun(db, 'queued'), await storeRun(db, 'queued')];
        for (const id of [...ids, ids[0]]) runs.enqueue(id, { workflowId: 'w', entityId: 1 });
        await runs.start([]);
        await settle('every run handed to run', () => ran.length >= ids.length);
        assert.deepEqual([...ran].sort(), [...ids].sort());
      });
    });

    it('runs what a previous process left queued or running', async () => {
      await withDistribution(async ({ db, ran }, runs) => {
        const ids = [await storeRun(db, 'queued'), await storeRun(db, 'running')];
        await runs.start(await findUnfinishedExecutions(db));
        await settle('the unfinished runs handed to run', () => ran.length >= ids.length);
        assert.deepEqual([...ran].sort(), [...ids].sort());
      });
    });

    it('ends a cancelled run that is still queued here, without telling any worker', async () => {
      await withDistribution(async ({ db, ended, published }, runs) => {
        const id = await storeRun(db, 'queued');
        const at = new Date().toISOString();
        await runs.cancelNotHere(id, at);
        assert.deepEqual(ended, [[id, at]]);
        assert.deepEqual(published, []);
      });
    });
  });
}
