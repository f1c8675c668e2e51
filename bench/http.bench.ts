/**
 * @module bench/http.bench
 * Create+get throughput over HTTP on SQLite: each autocannon connection creates a workflow and
 * reads it back, alternating, against `workflow-core serve` in its own process.
 */
import autocannon from 'autocannon';
import { startBenchServer } from './server.ts';

export interface HttpBenchResult {
  readonly name: string;
  readonly requests_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly non_2xx: number;
}

const WORKFLOW = JSON.stringify({
  name: 'Bench workflow',
  entity_id: 123,
  nodes: {
    t: { node_type: 'trigger_command', config: { command_name: '!so' } },
    m: { node_type: 'action_chat_message', config: { message: 'Go follow {{ args[0] }}!' } },
  },
  connections: [{ from_node_id: 't', from_port_name: 'output', to_node_id: 'm', to_port_name: 'input' }],
});

export async function benchHttp(durationSeconds = 10, connections = 16): Promise<HttpBenchResult> {
  const server = await startBenchServer();
  try {
    const token = await server.token('bench', { entities: [123] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // Warm up the JIT and SQLite page cache before measuring.
    for (let i = 0; i < 200; i++) {
      await fetch(`${server.url}/api/v1/workflows`, { method: 'POST', headers, body: WORKFLOW });
    }
    const result = await autocannon({
      url: server.url,
      connections,
      duration: durationSeconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/workflows',
          headers,
          body: WORKFLOW,
          onResponse: (_status, body, context) => {
            (context as { workflowId?: string }).workflowId = JSON.parse(body).data.workflow_id;
          },
        },
        {
          method: 'GET',
          headers,
          setupRequest: (request, context) => ({
            ...request,
            path: `/api/v1/workflows/${(context as { workflowId?: string }).workflowId}`,
          }),
        },
      ],
    });
    return {
      name: 'http create+get (SQLite)',
      requests_per_second: result.requests.average,
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      requests: result.requests.total,
      errors: result.errors,
      non_2xx: result.non2xx,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHttp(), null, 2));
}
