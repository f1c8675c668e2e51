/**
 * @module bench/pg-counting-proxy
 * A TCP proxy in front of PostgreSQL that counts what clients send: statements executed (simple
 * queries and extended-protocol executes), by their first SQL word, and bytes. The app needs no
 * change and no extension on the server (pg_stat_statements is not loaded everywhere).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface PgCounts {
  /** Simple-protocol queries plus extended-protocol Execute messages. */
  statements: number;
  /** By first SQL word of each Parse or simple Query (insert, update, select, begin, commit…). */
  readonly byKind: Record<string, number>;
  bytesToServer: number;
  bytesFromServer: number;
}

export interface PgCountingProxy {
  readonly port: number;
  readonly counts: PgCounts;
  /** The local ports of the proxy's open connections to the server (pg_stat_activity.client_port). */
  upstreamPorts(): number[];
  reset(): void;
  close(): Promise<void>;
}

function kindOf(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? '?';
}

/** Reads frontend messages (after the untyped startup packet) off one client's stream. */
function meter(counts: () => PgCounts) {
  let buffer = Buffer.alloc(0);
  let started = false;
  return (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        if (buffer.length < 4) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        // SSLRequest (80877103) is answered 'N' and followed by the real startup packet.
        if (code !== 80877103) started = true;
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer.length < length + 1) return;
      const type = String.fromCharCode(buffer[0]);
      const body = buffer.subarray(5, length + 1);
      const c = counts();
      if (type === 'Q') {
        c.statements++;
        const kind = kindOf(body.toString('utf8', 0, Math.min(body.length, 64)));
        c.byKind[kind] = (c.byKind[kind] ?? 0) + 1;
      } else if (type === 'E') {
        c.statements++;
      } else if (type === 'P') {
        const nameEnd = body.indexOf(0);
        const kind = kindOf(body.toString('utf8', nameEnd + 1, Math.min(body.length, nameEnd + 65)));
        c.byKind[kind] = (c.byKind[kind] ?? 0) + 1;
      }
      buffer = buffer.subarray(length + 1);
    }
  };
}

export async function startPgCountingProxy(target: { host: string; port: number }): Promise<PgCountingProxy> {
  let counts: PgCounts = { statements: 0, byKind: {}, bytesToServer: 0, bytesFromServer: 0 };
  const sockets = new Set<Socket>();
  const upstreams = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    upstreams.add(upstream);
    const read = meter(() => counts);
    client.on('data', (chunk: Buffer) => {
      counts.bytesToServer += chunk.length;
      read(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.bytesFromServer += chunk.length;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      upstreams.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get counts() {
      return counts;
    },
    upstreamPorts: () => [...upstreams].map((socket) => socket.localPort ?? 0).filter((port) => port > 0),
    reset() {
      counts = { statements: 0, byKind: {}, bytesToServer: 0, bytesFromServer: 0 };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
