import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboundRequest } from '../nodes/node-type.ts';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';

const GUARD = { timeout: 5000 };

describe('runExecution: limits, retries, errors, cancellation', () => {
  it('the workflow timeout fails the run, even when a node ignores its signal', GUARD, async () => {
    const slow = workflow({ t: ['trigger_manual'], d: ['action_delay', { delay_ms: 60_000 }] }, ['t -> d'], {
      settings: { timeout_seconds: 0.05 },
    });
    const bySettings = await runExecution(request(slow), fakeDeps());
    assert.equal(bySettings.status, 'failed');
    assert.equal(bySettings.limit, 'workflow_timeout');
    assert.match(bySettings.error_message ?? '', /Workflow timeout exceeded.*0\.05 s/);

    const stuck = workflow({ t: ['trigger_manual'], s: ['stuck'] }, ['t -> s']);
    const byLimit = await runExecution(request(stuck), fakeDeps({ limits: { workflowTimeoutMs: 50 } }));
    assert.equal(byLimit.status, 'failed');
    assert.equal(byLimit.limit, 'workflow_timeout');
    assert.equal(byLimit.node_states.s.status, 'failed', 'the cut-off node is not left running');
  });

  it("a node's timeout_seconds fails the run naming the node", GUARD, async () => {
    const def = workflow(
      { t: ['trigger_manual'], p: ['probe', { delay_ms: 60_000 }, { timeout_seconds: 0.05 }], after: ['step'] },
      ['t -> p', 'p -> after'],
    );
    const result = await runExecution(request(def), fakeDeps());
    assert.equal(result.status, 'failed');
    assert.equal(result.limit, 'node_timeout');
    assert.equal(result.error_node_id, 'p');
    assert.match(result.error_message ?? '', /node "p".*timeout_seconds/);
    assert.equal(result.node_states.after.status, 'pending');
  });

  it('MAX_TOTAL_OPERATIONS caps node runs', async () => {
    const nodes: Record<string, readonly [string]> = { n0: ['trigger_manual'] };
    const edges: string[] = [];
    for (let i = 1; i < 8; i++) {
      nodes[`n${i}`] = ['step'];
      edges.push(`n${i - 1} -> n${i}`);
    }
    const result = await runExecution(request(workflow(nodes, edges)), fakeDeps({ limits: { maxTotalOperations: 5 } }));
    assert.equal(result.status, 'failed');
    assert.equal(result.limit, 'max_total_operations');
    assert.equal(result.execution_path.length, 5);
    assert.equal(result.error_node_id, 'n5');
    assert.match(result.error_message ?? '', /MAX_TOTAL_OPERATIONS/);
  });

  it('retries with exponential backoff and jitter, honouring retryAfterMs', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        f: ['fail', { times: 2 }, { retry: { max_attempts: 3, backoff_ms: 10, max_backoff_ms: 1000 } }],
        g: ['fail', { times: 1, retry_after_ms: 40 }, { retry: { max_attempts: 2, backoff_ms: 1 } }],
      },
      ['t -> f', 'f -> g'],
    );
    const result = await runExecution(request(def), fakeDeps({ random: () => 0 }));
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.f.attempts, 3);
    assert.match(result.node_states.f.logs[0], /attempt 1 failed: boom 1; retrying in 5 ms/);
    assert.match(result.node_states.f.logs[1], /attempt 2 failed: boom 2; retrying in 10 ms/);
    assert.match(result.node_states.g.logs[0], /retrying in 40 ms/);
    assert.equal(result.counters.retries, 3);
  });

  it('uses settings.retry as the default and does not retry a non-retryable error', async () => {
    const def = workflow(
      { t: ['trigger_manual'], f: ['fail', { times: 1 }], hard: ['fail', { retryable: false, message: 'no way' }] },
      ['t -> f', 'f -> hard'],
      { settings: { retry: { max_attempts: 3, backoff_ms: 1 } } },
    );
    const result = await runExecution(request(def), fakeDeps());
    assert.equal(result.node_states.f.status, 'completed');
    assert.equal(result.node_states.f.attempts, 2);
    assert.equal(result.node_states.hard.attempts, 1);
    assert.equal(result.status, 'failed');
    assert.equal(result.error_message, 'no way');
    assert.equal(result.error_node_id, 'hard');
    assert.equal(result.counters.nodes_failed, 1);
  });

  it('sends a failed node to its error port with the error variable', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        f: ['fail', { code: 'E_HTTP', message: 'bad gateway' }],
        next: ['step'],
        handler: ['step', { read: 'error' }],
      },
      ['t -> f', 'f -> next', 'f:error -> handler'],
    );
    const result = await runExecution(request(def), fakeDeps());
    const error = { message: 'bad gateway', code: 'E_HTTP', node_id: 'f' };
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.f.status, 'failed');
    assert.equal(result.node_states.f.error, 'bad gateway');
    assert.deepEqual(result.node_states.handler.input_data, error);
    assert.deepEqual(result.node_states.handler.output_data, error);
    assert.equal(result.node_states.next.status, 'skipped');
    assert.equal(result.counters.nodes_failed, 1);
  });

  it('cancelling interrupts a sleep at once and ends the run cancelled', GUARD, async () => {
    const def = workflow({ t: ['trigger_manual'], d: ['action_delay', { delay_ms: 60_000 }], after: ['step'] }, [
      't -> d',
      'd -> after',
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const result = await runExecution(request(def, { signal: controller.signal }), fakeDeps());
    assert.equal(result.status, 'cancelled');
    assert.equal(result.error_message, 'Execution cancelled');
    // PRODUCT.md §5: the interrupted node is cancelled, what it would have reached skipped.
    assert.equal(result.node_states.d.status, 'cancelled');
    assert.equal(result.node_states.after.status, 'skipped');
  });

  it('cancelling aborts an in-flight HTTP call through its signal', GUARD, async () => {
    const controller = new AbortController();
    let seen: OutboundRequest | undefined;
    const deps = fakeDeps({
      http: (req) =>
        new Promise((_resolve, reject) => {
          seen = req;
          req.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          controller.abort();
        }),
    });
    const def = workflow({ t: ['trigger_manual'], h: ['action_webhook'] }, ['t -> h']);
    const result = await runExecution(request(def, { signal: controller.signal }), deps);
    assert.equal(result.status, 'cancelled');
    assert.equal(seen?.signal.aborted, true);
    assert.equal(result.outbox.length, 1);
    assert.equal(result.outbox[0].delivered, false);
  });

  it('an already aborted signal runs nothing; a stuck node does not hold up a cancel', GUARD, async () => {
    const def = workflow({ t: ['trigger_manual'], s: ['stuck'] }, ['t -> s']);
    const early = await runExecution(request(def, { signal: AbortSignal.abort() }), fakeDeps());
    assert.equal(early.status, 'cancelled');
    assert.deepEqual(early.execution_path, []);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const late = await runExecution(request(def, { signal: controller.signal }), fakeDeps());
    assert.equal(late.status, 'cancelled');
  });
});
