import { describe, expect, it } from 'vitest';
import type { NodeState } from '../api/runs-api.ts';
import { subRunsOf } from './run-links.ts';

const CHILD_A = '11111111-2222-4333-8444-555555555555';
const CHILD_B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const state = (node_type: string, extra: Partial<NodeState>): NodeState => ({
  node_id: 'x',
  node_type,
  status: 'completed',
  started_at: null,
  completed_at: null,
  error: null,
  attempts: 1,
  ...extra,
});

describe('sub-workflow runs of a run', () => {
  it('finds the child runs its action_workflow nodes started, once each', () => {
    const runs = subRunsOf({
      node_states: {
        call: state('action_workflow', { logs: [`sub-workflow execution ${CHILD_A}: completed`] }),
        fire: state('action_workflow', {
          output_data: { execution_id: CHILD_B, status: 'queued' },
          logs: [`sub-workflow execution ${CHILD_B}: queued`],
        }),
        // Other nodes mentioning ids are not sub-workflow runs.
        say: state('action_chat_message', { output_data: { execution_id: CHILD_A } }),
        bad: state('action_workflow', { output_data: { execution_id: 'not-an-id' } }),
      },
    });
    expect(runs).toEqual([
      { nodeId: 'call', executionId: CHILD_A },
      { nodeId: 'fire', executionId: CHILD_B },
    ]);
    expect(subRunsOf({ node_states: {} })).toEqual([]);
  });
});
