/**
 * @module metrics
 * Prometheus metrics, one registry per app (tests build several apps in one process):
 * HTTP latency by route (recorded by http/server), plus the gauges and counters the services
 * record into.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  let queueDepthOf: () => number = () => 0;
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    executions: new Counter({
      name: 'workflow_executions_total',
      help: 'Executions that reached a terminal state, by status',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    nodeRuns: new Counter({
      name: 'workflow_node_runs_total',
      help: 'Node runs by node type and outcome',
      labelNames: ['node_type', 'status'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'workflow_queue_depth',
      help: 'Executions waiting to run in this process',
      registers: [registry],
      // Read when scraped, so it is never stale between enqueues.
      collect() {
        this.set(queueDepthOf());
      },
    }),
    /** Where the queue-depth gauge reads from (the runner's queue). */
    measureQueueDepth(source: () => number): void {
      queueDepthOf = source;
    },
    webhookOutcomes: new Counter({
      name: 'workflow_webhook_requests_total',
      help: 'Webhook trigger answers by outcome code',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
