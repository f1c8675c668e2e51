/**
 * @module test/helpers/stub-server
 * A local HTTP stub on 127.0.0.1 for the nodes that call out (action_webhook, router deliveries):
 * it records every request, with its arrival time, body and whether the client aborted it, and
 * answers JSON as the test decides, or never (to hold a call in flight).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. `body` is filled in once read; `aborted` once the client gives up. */
export interface ReceivedRequest {
  /** performance.now() when the request arrived. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  body: string;
  aborted: boolean;
}

/** An answer of the stub: its status, extra headers and a body sent as JSON (`{}` when absent). */
export interface StubReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface StubServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far, in order of arrival. */
  readonly received: ReceivedRequest[];
  /** Drops every connection, hanging ones included, and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a stub that answers each request, once its body is read, with `reply(request)` (or what
 * its promise resolves to, to answer late); `undefined` leaves the request unanswered until the
 * client aborts it or the stub closes.
 */
export async function startStubServer(
  reply: (request: ReceivedRequest) => StubReply | undefined | Promise<StubReply | undefined>,
): Promise<StubServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const entry: ReceivedRequest = {
      at: performance.now(),
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: '',
      aborted: false,
    };
    received.push(entry);
    response.on('close', () => {
      if (!response.writableEnded) entry.aborted = true;
    });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      entry.body = Buffer.concat(chunks).toString();
      const answer = await reply(entry);
      if (!answer || response.destroyed) return;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
