import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeContext, NodeType } from '../nodes/node-type.ts';
import type { ExecutionCheckpoint } from './checkpoint-types.ts';
import { createFakeNodeTypes } from './fake-nodes.fixture.ts';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { resumeExecution, runExecution } from './run.ts';

const LOOP = workflow(
  {
    t: ['trigger_manual'],
    fe: ['loop_foreach', { array_variable: 'items' }],
    body: ['step'],
    again: ['step'],
    end: ['step'],
  },
  ['t -> fe', 'fe:loop -> body', 'body -> fe', 'fe:done -> end', 'end -> again', 't -> again'],
);
const ITEMS = { items: [1, 2, 3] };

/** Fake node types whose runs report `ctx.runKey` (and may act on it) before running. */
function keyed(seen: (ctx: NodeContext) => void): (type: string) => NodeType | undefined {
  const base = createFakeNodeTypes().nodeTypes;
  return (type) => {
    const node = base(type);
    if (!node) return undefined;
    return {
      ...node,
      execute: (config, input, ctx) => {
        seen(ctx);
        return node.execute(config, input, ctx);
      },
    };
  };
}

describe('NodeContext.runKey', () => {
  it('names every run of a node apart: loop iterations and a node reached twice', async () => {
    const keys: string[] = [];
    const deps = fakeDeps({ nodeTypes: keyed((ctx) => keys.push(ctx.runKey ?? '?')) });
    const result = await runExecution(request(LOOP, { variables: ITEMS }), deps);
    assert.equal(result.status, 'completed');
    assert.deepEqual(
      keys.filter((key) => key.startsWith('body') || key.startsWith('again')),
      ['body#1.1', 'body#2.1', 'body#3.1', 'again#1.1', 'again#2.1'],
    );
  });

  it('gives the run that was in flight at a checkpoint the same name after the resume', async () => {
    const controller = new AbortController();
    let checkpointNow: (() => ExecutionCheckpoint) | undefined;
    let saved: ExecutionCheckpoint | undefined;
    const before: string[] = [];
    const deps = fakeDeps({
      nodeTypes: keyed((ctx) => {
        if (!ctx.nodeId.startsWith('body')) return;
        before.push(ctx.runKey ?? '?');
        // The second item's body is in flight: the checkpoint holds it started, then the "crash".
        if (before.length === 2 && checkpointNow) {
          saved = JSON.parse(JSON.stringify(checkpointNow())) as ExecutionCheckpoint;
          controller.abort();
        }
      }),
      recorder: {
        onNodeFinished(_state, checkpoint) {
          checkpointNow = checkpoint;
        },
      },
    });
    const first = await runExecution(request(LOOP, { signal: controller.signal, variables: ITEMS }), deps);
    assert.equal(first.status, 'cancelled');
    assert.ok(saved, 'a checkpoint was taken with the body in flight');
    assert.equal(saved.node_states.body.status, 'running');

    const after: string[] = [];
    const resumed = await resumeExecution(
      saved,
      request(LOOP, { variables: ITEMS }),
      fakeDeps({ nodeTypes: keyed((ctx) => ctx.nodeId === 'body' && after.push(ctx.runKey ?? '?')) }),
    );
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(before, ['body#1.1', 'body#2.1']);
    assert.deepEqual(after, ['body#2.1', 'body#3.1'], 'the interrupted run keeps its name; the next one follows');
  });
});
