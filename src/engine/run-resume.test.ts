import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeType } from '../nodes/node-type.ts';
import type { ExecutionCheckpoint } from './checkpoint-types.ts';
import { createFakeNodeTypes } from './fake-nodes.fixture.ts';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { resumeExecution, runExecution } from './run.ts';
import type { NodeEvent } from './types.ts';

const GUARD = { timeout: 5000 };

/** Fake node types that count executions per node id across runs; `fast` makes probes instant. */
function counted(runs: Map<string, number>, fast = false): (type: string) => NodeType | undefined {
  const base = createFakeNodeTypes().nodeTypes;
  return (type) => {
    const node = base(fast && type === 'probe' ? 'step' : type);
    if (!node) return undefined;
    return {
      ...node,
      execute: (config, input, ctx) => {
        runs.set(ctx.nodeId, (runs.get(ctx.nodeId) ?? 0) + 1);
        return node.execute(config, input, ctx);
      },
    };
  };
}

/** Runs until `when(nodeId)` after a node finished, keeps that checkpoint, then "crashes" (cancels). */
async function runUntil(
  def: Parameters<typeof request>[0],
  runs: Map<string, number>,
  when: (nodeId: string) => boolean,
  variables = {},
) {
  const controller = new AbortController();
  let saved: ExecutionCheckpoint | undefined;
  const deps = fakeDeps({
    nodeTypes: counted(runs),
    recorder: {
      onNodeFinished(state, checkpoint) {
        if (saved || !when(state.node_id)) return;
        saved = JSON.parse(JSON.stringify(checkpoint())) as ExecutionCheckpoint;
        controller.abort();
      },
    },
  });
  const first = await runExecution(request(def, { signal: controller.signal, variables }), deps);
  assert.equal(first.status, 'cancelled');
  assert.ok(saved, 'a checkpoint was taken');
  return saved;
}

describe('checkpoints and resumeExecution', () => {
  it('resumes after the last completed node without running completed nodes again', async () => {
    const def = workflow(
      { t: ['trigger_manual'], a: ['increment', { variable: 'hits' }], b: ['step'], c: ['step'], d: ['step'] },
      ['t -> a', 'a -> b', 'b -> c', 'c -> d'],
    );
    const runs = new Map<string, number>();
    const checkpoint = await runUntil(def, runs, (id) => id === 'b');
    const result = await resumeExecution(checkpoint, request(def), fakeDeps({ nodeTypes: counted(runs) }));
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['t', 'a', 'b', 'c', 'd']);
    assert.deepEqual([...runs.entries()].sort(), [
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['t', 1],
    ]);
    assert.equal(result.final_variables.hits, 1, 'the scope came back from the checkpoint');
    assert.equal(result.node_states.a.status, 'completed');
    assert.equal(result.counters.nodes_executed, 5);
  });

  it('runs a node that was in flight again, and a half-arrived merge still joins', GUARD, async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        p: ['flow_parallel'],
        x: ['step', { output: 'X' }],
        c: ['probe', { delay_ms: 60_000 }],
        m: ['flow_merge'],
        after: ['step'],
      },
      ['t -> p', 'p -> x', 'p -> c', 'x -> m', 'c -> m', 'm -> after'],
    );
    const runs = new Map<string, number>();
    const checkpoint = await runUntil(def, runs, (id) => id === 'x');
    assert.equal(runs.get('c'), 1, 'c was in flight when the checkpoint was taken');
    const result = await resumeExecution(checkpoint, request(def), fakeDeps({ nodeTypes: counted(runs, true) }));
    assert.equal(result.status, 'completed');
    assert.equal(runs.get('c'), 2);
    assert.equal(runs.get('x'), 1);
    // The interrupted run of c is forgotten: it is listed and counted once, as it completed once.
    assert.equal(result.execution_path.filter((id) => id === 'c').length, 1);
    assert.equal(result.node_states.c.runs, undefined);
    assert.equal(result.counters.nodes_executed, 6);
    assert.deepEqual(Object.keys(result.node_states.m.input_data as object).sort(), ['c', 'x']);
    assert.equal(result.node_states.after.status, 'completed');
  });

  it('resumes in the middle of a loop', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        fe: ['loop_foreach', { array_variable: 'items' }],
        body: ['increment', { variable: 'sum' }],
        after: ['step', { read: 'sum' }],
      },
      ['t -> fe', 'fe:loop -> body', 'fe:done -> after'],
    );
    const runs = new Map<string, number>();
    let bodies = 0;
    const checkpoint = await runUntil(def, runs, (id) => id === 'body' && ++bodies === 2, { items: [1, 2, 3, 4, 5] });
    assert.deepEqual(JSON.parse(JSON.stringify(checkpoint)), checkpoint, 'the checkpoint is plain JSON');
    const result = await resumeExecution(checkpoint, request(def), fakeDeps({ nodeTypes: counted(runs) }));
    assert.equal(result.status, 'completed');
    assert.equal(runs.get('body'), 5);
    assert.equal(runs.get('fe'), 1);
    assert.equal(result.node_states.after.output_data, 5);
    assert.equal(result.node_states.body.runs, 5);
  });

  it('reports node events to watchers and fails the run when the recorder fails', async () => {
    const events: NodeEvent[] = [];
    const def = workflow(
      { t: ['trigger_manual'], if: ['condition_if', { variable: 'go', equals: true }], a: ['step'], b: ['step'] },
      ['t -> if', 'if:true -> a', 'if:false -> b'],
    );
    await runExecution(
      request(def, { variables: { go: true } }),
      fakeDeps({ recorder: { onNodeEvent: (event) => events.push(event) } }),
    );
    assert.deepEqual(
      events.map((event) => `${event.node_id}:${event.status}`),
      ['t:running', 't:completed', 'if:running', 'if:completed', 'b:skipped', 'a:running', 'a:completed'],
    );
    assert.ok(events.every((event) => typeof event.at === 'string'));

    const broken = await runExecution(
      request(def, { variables: { go: true } }),
      fakeDeps({ recorder: { onNodeFinished: async () => Promise.reject(new Error('disk full')) } }),
    );
    assert.equal(broken.status, 'failed');
    assert.match(broken.error_message ?? '', /Recording the run failed: disk full/);
    assert.deepEqual(broken.execution_path, ['t']);
  });
});
