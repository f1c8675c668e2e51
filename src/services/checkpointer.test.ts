import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { NodeState } from '../engine/index.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';
import { CHECKPOINT_INTERVAL_MS, createCheckpointer } from './checkpointer.ts';

/** Records checkpoints; refuses every write once `lease.held` is false. */
function recordingWriter(lease = { held: true }) {
  const written: string[] = [];
  const writer: ProgressWriter = {
    async write(_id, _epoch, changes) {
      if (!lease.held) return false;
      written.push(String(changes.checkpoint));
      return true;
    },
    claim: async () => 1,
    insert: async () => {},
    flush: async () => {},
  };
  return { writer, written };
}

function state(nodeType: string, status: NodeState['status'] = 'completed'): NodeState {
  return {
    node_id: nodeType,
    node_type: nodeType,
    status,
    started_at: null,
    completed_at: null,
    input_data: null,
    output_data: null,
    logs: [],
    error: null,
    attempts: 1,
  };
}

const logger = pino({ level: 'silent' });
const RUN = { executionId: 'e', epoch: 1, onLeaseLost: () => assert.fail('the lease is held') };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('checkpointer', () => {
  it('stores at once after HTTP calls, delays and failures; deliveries only when they leave the process', async () => {
    const { writer, written } = recordingWriter();
    const outboxOnly = createCheckpointer({ ...RUN, writes: writer, deliveriesLeave: false, logger });
    await outboxOnly.nodeFinished(state('action_webhook'), () => 'after-http');
    await outboxOnly.nodeFinished(state('action_delay'), () => 'after-delay');
    await outboxOnly.nodeFinished(state('data_variable_set', 'failed'), () => 'after-failure');
    assert.equal(
      outboxOnly.nodeFinished(state('action_chat_message'), () => 'outbox'),
      undefined,
    );
    outboxOnly.stop();
    const routed = createCheckpointer({ ...RUN, writes: writer, deliveriesLeave: true, logger });
    await routed.nodeFinished(state('action_chat_message'), () => 'delivered');
    routed.stop();
    assert.deepEqual(written, ['after-http', 'after-delay', 'after-failure', 'delivered']);
  });

  it('coalesces pure nodes and stores the latest state by timer when no node follows', async () => {
    const { writer, written } = recordingWriter();
    const checkpoints = createCheckpointer({ ...RUN, writes: writer, deliveriesLeave: false, logger });
    for (let i = 0; i < 50; i++) {
      assert.equal(
        checkpoints.nodeFinished(state('data_variable_set'), () => `state ${i}`),
        undefined,
      );
    }
    assert.deepEqual(written, [], 'nothing is stored right away');
    await wait(CHECKPOINT_INTERVAL_MS * 3);
    assert.deepEqual(written, ['state 49'], 'one checkpoint, of the latest state');
    checkpoints.stop();
  });

  it('stop cancels a pending timed checkpoint', async () => {
    const { writer, written } = recordingWriter();
    const checkpoints = createCheckpointer({ ...RUN, writes: writer, deliveriesLeave: false, logger });
    checkpoints.nodeFinished(state('condition_if'), () => 'never');
    checkpoints.stop();
    await wait(CHECKPOINT_INTERVAL_MS * 2);
    assert.deepEqual(written, []);
  });

  it('reports a refused checkpoint as a lost lease, at once and by timer', async () => {
    const lease = { held: false };
    const { writer, written } = recordingWriter(lease);
    let lost = 0;
    const checkpoints = createCheckpointer({
      ...RUN,
      onLeaseLost: () => lost++,
      writes: writer,
      deliveriesLeave: false,
      logger,
    });
    await checkpoints.nodeFinished(state('action_delay'), () => 'refused');
    assert.equal(lost, 1);
    checkpoints.nodeFinished(state('condition_if'), () => 'refused by timer');
    await wait(CHECKPOINT_INTERVAL_MS * 3);
    assert.equal(lost, 2);
    assert.deepEqual(written, []);
    checkpoints.stop();
  });
});
