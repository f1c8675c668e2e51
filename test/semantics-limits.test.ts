/**
 * @module test/semantics-limits
 * PRODUCT.md section 5, limits and errors, end to end through the HTTP API and the real database:
 * each engine limit ends the run `failed` naming the limit; wait_for_completion answers 504; node
 * retries back off exponentially and honour Retry-After; an exhausted node goes to its error port.
 * HTTP calls go only to a stub on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type StubReply, startStubServer } from './helpers/stub-server.ts';
import {
  type Execution,
  type NodeSpec,
  type NodeState,
  publishWorkflow,
  readExecutionWithMetrics,
  runWorkflow,
  workflowBuilder,
} from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Limits', entity_id: ENTITY_ID });

/** A stub that answers each request with the next canned answer (the last repeats). */
async function startStub() {
  let script: StubReply[] = [{ status: 200, body: { ok: true } }];
  const stub = await startStubServer(() => (script.length > 1 ? (script.shift() as StubReply) : script[0]));
  return {
    url: stub.url,
    hits: stub.received,
    answer(next: StubReply[]) {
      script = next;
      stub.received.length = 0;
    },
    close: stub.close,
  };
}

/** The delays the engine logged ("retrying in N ms"), in order. */
function loggedDelays(state: NodeState): number[] {
  return state.logs.flatMap((line) => {
    const match = /retrying in (\d+) ms/.exec(line);
    return match ? [Number(match[1])] : [];
  });
}

describe('semantics: limits, timeouts, retries and the error port', () => {
  let t: TestApp;
  let owner: string;
  let stub: Awaited<ReturnType<typeof startStub>>;

  before(async () => {
    stub = await startStub();
    t = await createTestApp({
      ALLOW_PRIVATE_NETWORK: 'true',
      WORKFLOW_TIMEOUT: '1',
      MAX_TOTAL_OPERATIONS: '60',
      MAX_LOOP_ITERATIONS: '20',
      MAX_LOOP_DEPTH: '2',
    });
    owner = await t.token({ userId: 'owner' });
  });
  after(async () => {
    await t.close();
    await stub.close();
  });
  beforeEach(() => stub.answer([{ status: 200, body: { ok: true } }]));

  const publish = (definition: object) => publishWorkflow(t, owner, definition);
  const read = (executionId: string) => readExecutionWithMetrics(t, owner, executionId);
  const run = (definition: object, variables?: Record<string, unknown>) => runWorkflow(t, owner, definition, variables);

  const delayAfterStart = (delayMs: number, extra: Record<string, unknown> = {}) =>
    workflow(
      {
        start: ['trigger_manual'],
        wait: ['action_delay', { delay_ms: delayMs }],
        after: ['data_variable_set', { variables: { after_ran: true } }],
      },
      ['start -> wait', 'wait -> after'],
      extra,
    );

  it('WORKFLOW_TIMEOUT ends a run that lasts too long, failed with a message naming the limit', async () => {
    const result = await run(delayAfterStart(30_000));
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /Workflow timeout exceeded/);
    assert.match(result.error_message ?? '', /WORKFLOW_TIMEOUT/);
    assert.ok(!result.execution_path.includes('after'));
  });

  it('settings.timeout_seconds wins over WORKFLOW_TIMEOUT', async () => {
    const result = await run(delayAfterStart(30_000, { settings: { timeout_seconds: 0.2 } }));
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /Workflow timeout exceeded.*0\.2 s/);
    const generous = await run(delayAfterStart(1_200, { settings: { timeout_seconds: 5 } }));
    assert.equal(generous.status, 'completed', 'a longer own timeout lets a 1.2 s run finish past WORKFLOW_TIMEOUT');
  });

  it("a node's timeout_seconds fails the run and names the node", async () => {
    const definition = delayAfterStart(30_000);
    (definition.nodes.wait as Record<string, unknown>).timeout_seconds = 0.2;
    const result = await run(definition);
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /Node timeout exceeded: node "wait"/);
    assert.equal(result.error_node_id, 'wait');
    assert.ok(!result.execution_path.includes('after'));
  });

  it('wait_for_completion that runs out answers 504 EXECUTION_TIMEOUT while the run goes on to the end', async () => {
    const id = await publish(delayAfterStart(600));
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/execute`,
      token: owner,
      payload: { wait_for_completion: true, timeout_seconds: 0.1 },
    });
    assert.equal(response.statusCode, 504, response.body);
    const error = json<{ error: { code: string; details: { execution_id: string } } }>(response).error;
    assert.equal(error.code, 'EXECUTION_TIMEOUT');
    let final: Execution | undefined;
    for (let i = 0; i < 100 && final?.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      final = await read(error.details.execution_id);
    }
    assert.equal(final?.status, 'completed');
    assert.ok(final?.execution_path.includes('after'));
  });

  it('MAX_TOTAL_OPERATIONS stops a run that needs more node runs', async () => {
    const body: Record<string, NodeSpec> = {};
    const edges = ['start -> each', 'each:loop -> b0'];
    for (let i = 0; i < 5; i++) {
      body[`b${i}`] = ['data_variable_set', { variables: { [`v${i}`]: '{{ item }}' } }];
      if (i > 0) edges.push(`b${i - 1} -> b${i}`);
    }
    const definition = workflow(
      { start: ['trigger_manual'], each: ['loop_foreach', { array_variable: 'items' }], ...body },
      edges,
    );
    const ok = await run(definition, { items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    assert.equal(ok.status, 'completed', '52 node runs fit in 60');
    const result = await run(definition, { items: Array.from({ length: 15 }, (_, i) => i) });
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /MAX_TOTAL_OPERATIONS exceeded.*60 node runs/);
    assert.equal(result.metrics.nodes_executed, 60);
  });

  it("a loop's own max_iterations fails the run before the body runs, naming the loop", async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        each: ['loop_foreach', { array_variable: 'items', max_iterations: 3 }],
        body: ['data_variable_set', { variables: { body_ran: true } }],
      },
      ['start -> each', 'each:loop -> body'],
    );
    const result = await run(definition, { items: [1, 2, 3, 4] });
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /max_iterations exceeded: loop "each" needs more than 3 iterations/);
    assert.equal(result.error_node_id, 'each');
    assert.equal(result.final_variables.body_ran, undefined);
  });

  it('MAX_LOOP_ITERATIONS caps a loop_while that asks for more', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        loop: ['loop_while', { rules: [{ variable: 'n', operator: 'less_than', value: 1000 }], max_iterations: 500 }],
        inc: ['data_transform', { transformations: { n: 'n + 1' } }],
      },
      ['start -> loop', 'loop:loop -> inc', 'inc -> loop'],
    );
    const result = await run(definition, { n: 0 });
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /needs more than 20 iterations.*MAX_LOOP_ITERATIONS = 20/);
    assert.equal(result.final_variables.n, 20, 'exactly the allowed iterations ran');
  });

  it('MAX_LOOP_DEPTH refuses a loop nested deeper than the limit', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        l1: ['loop_foreach', { array_variable: 'cube' }],
        l2: ['loop_foreach', { array_variable: 'item' }],
        l3: ['loop_foreach', { array_variable: 'item' }],
        body: ['data_variable_set', { variables: { innermost_ran: true } }],
      },
      ['start -> l1', 'l1:loop -> l2', 'l2:loop -> l3', 'l3:loop -> body'],
    );
    const result = await run(definition, { cube: [[[1]]] });
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /MAX_LOOP_DEPTH exceeded: loop "l3" would nest 3 loops deep \(limit 2\)/);
    assert.equal(result.final_variables.innermost_ran, undefined);
  });

  it("flow_parallel's timeout_seconds fails a branch that runs too long", async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        fork: ['flow_parallel', { timeout_seconds: 0.2 }],
        quick: ['data_variable_set', { variables: { quick: true } }],
        slow: ['action_delay', { delay_ms: 30_000 }],
      },
      ['start -> fork', 'fork -> quick', 'fork -> slow'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'failed');
    assert.match(result.error_message ?? '', /flow_parallel timeout exceeded: the branches of "fork"/);
  });

  it('a failing HTTP call is retried with exponential backoff and then succeeds', async () => {
    stub.answer([{ status: 500 }, { status: 502 }, { status: 200, body: { finally: 'ok' } }]);
    const definition = workflow(
      {
        start: ['trigger_manual'],
        call: [
          'action_webhook',
          { url: `${stub.url}/flaky`, output_variable: 'reply' },
          { retry: { max_attempts: 3, backoff_ms: 100, max_backoff_ms: 1000 } },
        ],
      },
      ['start -> call'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.equal(stub.hits.length, 3);
    assert.equal(result.metrics.retries, 2);
    assert.equal(result.node_states.call.attempts, 3);
    assert.deepEqual((result.final_variables.reply as { body: unknown }).body, { finally: 'ok' });
    const [first, second] = loggedDelays(result.node_states.call);
    // Equal jitter: half of backoff_ms * 2^(attempt-1) fixed, half random.
    assert.ok(first >= 50 && first <= 100, `first backoff ${first} ms in [50, 100]`);
    assert.ok(second >= 100 && second <= 200, `second backoff ${second} ms in [100, 200]`);
    assert.ok(stub.hits[1].at - stub.hits[0].at >= first - 5, 'the engine waited before the second attempt');
    assert.ok(stub.hits[2].at - stub.hits[1].at >= second - 5, 'and longer before the third');
  });

  it('Retry-After on 429 sets the wait before the next attempt', async () => {
    stub.answer([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const definition = workflow(
      {
        start: ['trigger_manual'],
        call: ['action_webhook', { url: `${stub.url}/limited` }, { retry: { max_attempts: 2, backoff_ms: 10 } }],
      },
      ['start -> call'],
      { settings: { timeout_seconds: 10 } },
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(loggedDelays(result.node_states.call), [1000]);
    assert.ok(stub.hits[1].at - stub.hits[0].at >= 990, 'the second attempt came after Retry-After');
  });

  it('exhausted retries without an error port fail the run with error_message and error_node_id', async () => {
    stub.answer([{ status: 500 }]);
    const definition = workflow(
      {
        start: ['trigger_manual'],
        call: ['action_webhook', { url: `${stub.url}/down` }, { retry: { max_attempts: 2, backoff_ms: 10 } }],
        after: ['data_variable_set', { variables: { after_ran: true } }],
      },
      ['start -> call', 'call -> after'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'failed');
    assert.equal(stub.hits.length, 2);
    assert.match(result.error_message ?? '', /POST .*\/down answered HTTP 500/);
    assert.equal(result.error_node_id, 'call');
    assert.equal(result.node_states.call.status, 'failed');
    assert.equal(result.metrics.nodes_failed, 1);
    assert.equal(result.final_variables.after_ran, undefined);
  });

  it('a 4xx other than 429 is not retried', async () => {
    stub.answer([{ status: 404 }]);
    const definition = workflow(
      {
        start: ['trigger_manual'],
        call: ['action_webhook', { url: `${stub.url}/missing` }, { retry: { max_attempts: 4, backoff_ms: 10 } }],
      },
      ['start -> call'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'failed');
    assert.equal(stub.hits.length, 1);
    assert.equal(result.metrics.retries, 0);
    assert.match(result.error_message ?? '', /answered HTTP 404/);
  });

  it('after its retries, a node with a connected error port sends the token there with {message, code, node_id}', async () => {
    stub.answer([{ status: 503 }]);
    const definition = workflow(
      {
        start: ['trigger_manual'],
        call: ['action_webhook', { url: `${stub.url}/busy` }, { retry: { max_attempts: 2, backoff_ms: 10 } }],
        ok: ['data_variable_set', { variables: { ok_ran: true } }],
        handle: [
          'data_variable_set',
          {
            variables: { failure: '{{ error.message }}', code: '{{ error.code }}', failed_node: '{{ error.node_id }}' },
          },
        ],
      },
      ['start -> call', 'call -> ok', 'call:error -> handle'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed', 'the error was handled');
    assert.equal(stub.hits.length, 2, 'retries come before the error port');
    assert.deepEqual(result.execution_path, ['start', 'call', 'handle']);
    assert.equal(result.node_states.call.status, 'failed');
    assert.equal(result.node_states.ok.status, 'skipped');
    assert.match(String(result.final_variables.failure), /answered HTTP 503/);
    assert.equal(result.final_variables.code, 'HTTP_ERROR');
    assert.equal(result.final_variables.failed_node, 'call');
    assert.equal(result.error_message, null);
  });

  it('a data_transform that throws goes to its error port too', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        calc: ['data_transform', { transformations: { ratio: '$error("no ratio for " & user)' } }],
        handle: ['flow_end', { final_output: { reason: '{{ error.message }}', code: '{{ error.code }}' } }],
      },
      ['start -> calc', 'calc:error -> handle'],
    );
    const result = await run(definition, { user: 'ana' });
    assert.equal(result.status, 'completed');
    assert.equal(result.error_node_id, null);
    const output = (await read(result.execution_id)).final_variables.error as Record<string, unknown>;
    assert.equal(output.node_id, 'calc');
    assert.equal(output.code, 'EXPRESSION_ERROR');
    assert.match(String(output.message), /no ratio for ana/);
  });
});
