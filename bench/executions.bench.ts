/**
 * @module bench/executions.bench
 * End-to-end executions per second through the API: a published 5-node workflow (manual trigger
 * → set → condition → transform → chat message to the outbox) on SQLite with persistence.
 * Each request asks `wait_for_completion`, so its latency is request-to-completion and every
 * 200 is a completed execution (checked in the body).
 */
import autocannon from 'autocannon';
import { startBenchServer } from './server.ts';

export const FIVE_NODE_WORKFLOW = {
  name: 'Bench five nodes',
  entity_id: 123,
  nodes: {
    start: { node_type: 'trigger_manual' },
    set: { node_type: 'data_variable_set', config: { variables: { user: '{{ username }}', points: '{{ points }}' } } },
    check: {
      node_type: 'condition_if',
      config: { rules: [{ variable: 'points', operator: 'greater_than', value: 10 }] },
    },
    shape: { node_type: 'data_variable_get', config: { variable_name: 'user', output_variable: 'shout' } },
    say: { node_type: 'action_chat_message', config: { message: 'GG {{ shout }}, {{ points }} points!' } },
  },
  connections: [
    { from_node_id: 'start', from_port_name: 'output', to_node_id: 'set', to_port_name: 'input' },
    { from_node_id: 'set', from_port_name: 'output', to_node_id: 'check', to_port_name: 'input' },
    { from_node_id: 'check', from_port_name: 'true', to_node_id: 'shape', to_port_name: 'input' },
    { from_node_id: 'shape', from_port_name: 'output', to_node_id: 'say', to_port_name: 'input' },
  ],
};

export interface ExecutionsBenchResult {
  readonly name: string;
  readonly completed_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly completed: number;
  readonly not_completed: number;
  readonly errors: number;
}

export async function benchExecutions(durationSeconds = 10, connections = 64): Promise<ExecutionsBenchResult> {
  const server = await startBenchServer({ EXECUTION_CONCURRENCY: '64' });
  try {
    const token = await server.token('bench', { entities: [123] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/api/v1/workflows`, {
      method: 'POST',
      headers,
      body: JSON.stringify(FIVE_NODE_WORKFLOW),
    }).then((r) => r.json() as Promise<{ data: { workflow_id: string } }>);
    const id = created.data.workflow_id;
    await fetch(`${server.url}/api/v1/workflows/${id}/publish`, { method: 'POST', headers });
    const body = JSON.stringify({
      variables: { username: 'viewer', points: 42 },
      wait_for_completion: true,
      timeout_seconds: 30,
    });
    for (let i = 0; i < 300; i++) {
      await fetch(`${server.url}/api/v1/workflows/${id}/execute`, { method: 'POST', headers, body });
    }
    let completed = 0;
    let notCompleted = 0;
    const result = await autocannon({
      url: `${server.url}/api/v1/workflows/${id}/execute`,
      method: 'POST',
      headers,
      body,
      connections,
      duration: durationSeconds,
      requests: [
        {
          onResponse: (status, responseBody) => {
            if (status === 200 && JSON.parse(responseBody).data.status === 'completed') completed++;
            else notCompleted++;
          },
        },
      ],
    });
    return {
      name: 'executions through the API, 5 nodes, SQLite, wait_for_completion',
      completed_per_second: Math.round(completed / durationSeconds),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      completed,
      not_completed: notCompleted,
      errors: result.errors,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchExecutions(), null, 2));
}
