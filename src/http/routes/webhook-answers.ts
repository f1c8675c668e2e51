/**
 * @module http/routes/webhook-answers
 * Response schemas of the webhook routes, and the trigger's request body as the document shows it
 * (the route itself reads raw bytes, so the signature is checked before the JSON).
 */
import { Type } from '@sinclair/typebox';
import { Envelope, NullableTimestamp, PagedEnvelope, Timestamp, Uuid } from '../envelope.ts';

const closed = { additionalProperties: false } as const;

const webhookFields = {
  webhook_id: Uuid,
  workflow_id: Uuid,
  token: Type.String({ description: 'the secret part of the URL' }),
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  require_signature: Type.Boolean(),
  ip_allowlist: Type.Array(Type.String(), { description: 'addresses or CIDRs; empty: any' }),
  rate_limit_max: Type.Integer({ description: 'calls per window' }),
  rate_limit_window: Type.Integer({ description: 'window in seconds' }),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_triggered_at: NullableTimestamp,
  trigger_count: Type.Integer(),
  url: Type.String({ description: 'PUBLIC_BASE_URL/api/v1/workflows/webhooks/{token}' }),
};

export const WebhookSchema = Type.Object(webhookFields, closed);
export const WebhookWithSecret = Type.Object(
  { ...webhookFields, secret: Type.String({ description: 'HMAC-SHA256 signing key; shown only here' }) },
  closed,
);

export const WebhookListAnswer = PagedEnvelope(WebhookSchema, 'A page of webhooks');
export const WebhookAnswer = Envelope(WebhookSchema, 'The webhook as saved');
export const WebhookWithSecretAnswer = Envelope(WebhookWithSecret, 'The webhook with its signing secret');
export const DeletedWebhookSchema = Type.Object({ webhook_id: Uuid }, closed);
export const DeletedWebhookAnswer = Envelope(DeletedWebhookSchema, 'Deleted');

export const TriggeredSchema = Type.Object(
  {
    execution_id: Uuid,
    webhook_id: Uuid,
    workflow_id: Uuid,
    status: Type.String({ description: 'queued or running' }),
    timestamp: Timestamp,
  },
  closed,
);
export const TriggerAnswerSchema = Envelope(TriggeredSchema, 'Accepted: an execution was stored and queued');

export const TriggerRequestBody = Type.Object(
  {},
  { additionalProperties: true, description: 'Any JSON object: the trigger data of the run' },
);

export const TriggerHeaders = Type.Object({
  'x-webhook-signature': Type.Optional(
    Type.String({ description: 'sha256=<hex>; required when the webhook has require_signature' }),
  ),
  'idempotency-key': Type.Optional(
    Type.String({ description: 'a repeated call with the same key gets the first answer' }),
  ),
});
