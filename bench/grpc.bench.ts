/**
 * @module bench/grpc.bench
 * gRPC `ExecuteWorkflow` calls per second (no wait: each call stores a queued execution that the
 * server then runs) against `workflow-core serve` on SQLite in its own process, with a fixed
 * number of calls in flight over one HTTP/2 connection.
 */
import { createServer } from 'node:net';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadWorkflowProto } from '../src/grpc/proto.ts';
import { startBenchServer } from './server.ts';

export interface GrpcBenchResult {
  readonly name: string;
  readonly calls_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly calls: number;
  readonly errors: number;
}

const WORKFLOW = JSON.stringify({
  name: 'gRPC bench',
  entity_id: 123,
  nodes: {
    start: { node_type: 'trigger_manual' },
    set: { node_type: 'data_variable_set', config: { variables: { greeting: 'Hi {{ who }}' } } },
    end: { node_type: 'flow_end', config: { final_output: { greeting: '{{ greeting }}' } } },
  },
  connections: [
    { from_node_id: 'start', from_port_name: 'output', to_node_id: 'set', to_port_name: 'input' },
    { from_node_id: 'set', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' },
  ],
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

export async function benchGrpc(durationSeconds = 10, inFlight = 32): Promise<GrpcBenchResult> {
  const grpcPort = await freePort();
  const server = await startBenchServer({ GRPC_PORT: String(grpcPort) });
  const { Client } = loadWorkflowProto();
  const client = new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
  try {
    const token = await server.token('bench', { entities: [123] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/api/v1/workflows`, { method: 'POST', headers, body: WORKFLOW });
    const workflowId = ((await created.json()) as { data: { workflow_id: string } }).data.workflow_id;
    await fetch(`${server.url}/api/v1/workflows/${workflowId}/publish`, { method: 'POST', headers });
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    const request = {
      workflow_id: workflowId,
      variables: { fields: { who: { kind: 'stringValue', stringValue: 'bench' } } },
    };
    const execute = () =>
      new Promise<void>((resolve, reject) => {
        const method = (client as unknown as Record<string, (...args: unknown[]) => void>).ExecuteWorkflow.bind(client);
        method(request, metadata, (error: ServiceError | null) => (error ? reject(error) : resolve()));
      });

    for (let i = 0; i < 300; i++) await execute();
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + durationSeconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          const at = performance.now();
          try {
            await execute();
            latencies.push(performance.now() - at);
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      name: 'gRPC ExecuteWorkflow (SQLite)',
      calls_per_second: Math.round(latencies.length / elapsed),
      p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      calls: latencies.length,
      errors,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchGrpc(), null, 2));
}
