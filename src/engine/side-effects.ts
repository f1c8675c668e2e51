/**
 * @module engine/side-effects
 * The delivery and HTTP ports a node gets. Every call lands in the execution's outbox. In test mode
 * nothing leaves the process: the call is recorded (secrets in headers and URLs redacted) and a simulated
 * answer comes back, so side-effect nodes produce a plausible output without delivering.
 */

import { redactHeaders, redactUrl } from '../core/secrets.ts';
import type {
  Delivery,
  DeliveryKind,
  DeliveryResult,
  HttpClient,
  OutboundRequest,
  OutboundResponse,
} from '../nodes/node-type.ts';
import { capValue } from './cap-value.ts';
import { appendLog } from './record.ts';
import { errorMessageOf } from './retry.ts';
import { nowIso, type Runtime } from './runtime.ts';
import type { OutboxEntry } from './types.ts';

export const SIMULATED_RESPONSE: OutboundResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': 'application/json', 'x-simulated': 'true' }) as Record<string, string>,
  body: Object.freeze({ simulated: true }),
});

function describeRequest(request: OutboundRequest, maxBytes: number): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    headers: redactHeaders(request.headers),
    body: request.body === undefined ? null : capValue(request.body, maxBytes),
  };
}

function record(rt: Runtime, entry: Omit<OutboxEntry, 'at' | 'simulated'>): void {
  rt.rec.outbox.push({ ...entry, simulated: rt.testMode, at: nowIso(rt) });
}

export function createDeliveryPort(rt: Runtime, nodeId: string): Delivery {
  const state = rt.rec.states[nodeId];
  return {
    async send(kind: DeliveryKind, payload: Record<string, unknown>, options): Promise<DeliveryResult> {
      const stored = capValue(payload, rt.rec.maxStoredBytes);
      if (rt.testMode) {
        record(rt, { node_id: nodeId, kind, payload: stored, delivered: false });
        appendLog(state, `test mode: ${kind} recorded, not delivered`);
        return { delivered: false, status: 200, response: { simulated: true } };
      }
      try {
        const result = await rt.deps.delivery.send(kind, payload, options);
        record(rt, { node_id: nodeId, kind, payload: stored, delivered: result.delivered, status: result.status });
        return result;
      } catch (error) {
        record(rt, { node_id: nodeId, kind, payload: stored, delivered: false, error: errorMessageOf(error) });
        throw error;
      }
    },
  };
}

export function createHttpPort(rt: Runtime, nodeId: string): HttpClient {
  const state = rt.rec.states[nodeId];
  return {
    async request(request: OutboundRequest): Promise<OutboundResponse> {
      const described = describeRequest(request, rt.rec.maxStoredBytes);
      if (rt.testMode) {
        record(rt, {
          node_id: nodeId,
          kind: 'http',
          payload: described,
          delivered: false,
          status: SIMULATED_RESPONSE.status,
        });
        appendLog(state, `test mode: ${request.method} ${request.url} recorded, not sent`);
        return SIMULATED_RESPONSE;
      }
      try {
        const response = await rt.deps.http.request(request);
        record(rt, { node_id: nodeId, kind: 'http', payload: described, delivered: true, status: response.status });
        return response;
      } catch (error) {
        record(rt, {
          node_id: nodeId,
          kind: 'http',
          payload: described,
          delivered: false,
          error: errorMessageOf(error),
        });
        throw error;
      }
    },
  };
}
