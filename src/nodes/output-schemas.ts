/**
 * @module nodes/output-schemas
 * What nodes write to `nodes.<id>.output`, for the shapes several node types share: the trigger
 * data each kind of trigger hands on, and the outcome of a delivery.
 */
import { type TSchema, Type } from '@sinclair/typebox';

const Id = Type.Union([Type.String(), Type.Integer()]);
const NullableId = Type.Union([Type.String(), Type.Integer(), Type.Null()]);

export const CommandTriggerOutputSchema = Type.Object(
  {
    command: Type.String({ description: 'the command word as typed, e.g. !so' }),
    args: Type.Array(Type.String(), { description: 'the words after the command' }),
    args_text: Type.String({ description: 'the rest of the message after the command, as typed' }),
    message: Type.String(),
    user_id: Id,
    username: Type.Union([Type.String(), Type.Null()]),
    platform: Type.String(),
    channel_id: NullableId,
    message_id: NullableId,
    is_mod: Type.Boolean(),
  },
  { description: 'The chat command (also the variables of the run)' },
);

export const EventTriggerOutputSchema = Type.Object(
  {
    event_type: Type.String(),
    platform: Type.String(),
    user_id: Id,
    username: Type.Union([Type.String(), Type.Null()]),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'the event data as the router sent it' }),
    channel_id: Type.Optional(Id),
    message_id: Type.Optional(Id),
  },
  { description: 'The platform event (also the variables of the run)' },
);

export const WebhookTriggerOutputSchema = Type.Object(
  {
    body: Type.Unknown({ description: 'the JSON body (its top-level fields are also variables)' }),
    headers: Type.Record(Type.String(), Type.String(), { description: 'request headers, signature and auth left out' }),
    query: Type.Record(Type.String(), Type.Unknown()),
    webhook_id: Type.String(),
    client_ip: Type.String(),
  },
  { description: 'The webhook call' },
);

export const ScheduleTriggerOutputSchema = Type.Object(
  {
    schedule_id: Type.String(),
    scheduled_for: Type.String({ description: 'ISO-8601 UTC: the slot that fired' }),
    fired_at: Type.String({ description: 'ISO-8601 UTC' }),
  },
  { description: 'The schedule slot' },
);

/** What a delivering node answers: how it went, and what it sent (`extra` fields). */
export function deliveryOutputSchema(extra: Record<string, TSchema>) {
  return Type.Object({
    delivered: Type.Boolean({ description: 'false: recorded in the outbox only (no ROUTER_URL, or test mode)' }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: "the router's HTTP status" }),
    response: Type.Unknown({ description: "the router's answer (JSON), or null" }),
    ...extra,
  });
}
