/**
 * @module test/helpers/watchers
 * Watching a run the way clients do, over a real connection: the SSE stream of the REST API and
 * gRPC WatchExecution. Each resolves with every event in arrival order once the final one came.
 */
import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS, protoPath } from '../../src/grpc/proto.ts';

export interface WatchedEvent {
  readonly node_id: string | null;
  readonly status: string;
  readonly at: string;
  readonly final: boolean;
  /** Of a node run's live events (gRPC: 0 and false on others). */
  readonly run?: number;
  readonly attempt?: number;
  readonly lane?: number;
  readonly retrying?: boolean;
}

/** Resolves once the SSE stream is open (events before are kept); `done` resolves at its end. */
export async function watchSse(baseUrl: string, token: string, executionId: string) {
  const response = await fetch(`${baseUrl}/api/v1/workflows/executions/${executionId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200 || !response.body) throw new Error(`SSE answered ${response.status}`);
  const body = response.body;
  const events: WatchedEvent[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    for (;;) {
      const { value: chunk, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(chunk, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
        const kind = /^event: (\w+)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!kind || !data) continue;
        events.push({ ...(JSON.parse(data) as Omit<WatchedEvent, 'final'>), final: kind === 'end' });
      }
    }
    return events;
  })();
  return { events, done };
}

const definition = loadSync(protoPath(), LOADER_OPTIONS);
// biome-ignore lint/suspicious/noExplicitAny: the generated package is untyped by nature.
const WorkflowService = (loadPackageDefinition(definition) as any).waddlebot.workflow.WorkflowService;

/** gRPC WatchExecution on 127.0.0.1:`port`; resolves with the events once the stream ends. */
export function watchGrpc(port: number, token: string, executionId: string) {
  const client = new WorkflowService(`127.0.0.1:${port}`, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const events: WatchedEvent[] = [];
  const stream = client.WatchExecution({ execution_id: executionId }, metadata) as NodeJS.EventEmitter;
  const done = new Promise<WatchedEvent[]>((resolve, reject) => {
    stream.on('data', (message: Omit<WatchedEvent, 'node_id'> & { node_id: string }) => {
      const { node_id, status, at, final, run, attempt, lane, retrying } = message;
      events.push({ node_id: node_id || null, status, at, final, run, attempt, lane, retrying });
    });
    stream.on('end', () => {
      client.close();
      resolve(events);
    });
    stream.on('error', (error: Error) => {
      client.close();
      reject(error);
    });
  });
  return { events, done };
}
