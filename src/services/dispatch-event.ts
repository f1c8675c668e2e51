/**
 * @module services/dispatch-event
 * The event a bot's router hands over (PRODUCT.md §6): its schema (the REST body, strict; gRPC
 * checks the same schema), the trigger data it becomes (PRODUCT.md §5), and the `event_filters`
 * test. Pure: no I/O.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EntityIdSchema, SafeIntegerSchema } from '../core/ids.ts';
import { getPath } from '../core/paths.ts';
import { AppError, MAX_REPORTED_PROBLEMS } from '../errors.ts';

const Id = Type.Union([Type.String({ minLength: 1, maxLength: 128 }), SafeIntegerSchema]);

export const DispatchEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('command'), Type.Literal('event')]),
    entity_id: EntityIdSchema,
    community_id: Type.Optional(Type.Union([EntityIdSchema, Type.Null()])),
    platform: Type.String({ minLength: 1, maxLength: 50 }),
    user_id: Id,
    username: Type.Optional(Type.String({ maxLength: 128 })),
    channel_id: Type.Optional(Id),
    message_id: Type.Optional(Id),
    /** The whole chat line; its first word is the command when `command` is absent. */
    message: Type.Optional(Type.String({ maxLength: 4000 })),
    command: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$' })),
    args: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 100 })),
    is_mod: Type.Optional(Type.Boolean()),
    event_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type DispatchEvent = Static<typeof DispatchEventSchema>;

/** For doors without a schema validator of their own (gRPC): the REST body schema, every problem. */
export function checkDispatchEvent(value: unknown): DispatchEvent {
  if (Value.Check(DispatchEventSchema, value)) return value;
  const problems = new Set<string>();
  for (const error of Value.Errors(DispatchEventSchema, value)) {
    const where = error.path ? `event${error.path.replace(/\//g, '.')}` : 'event';
    problems.add(`${where}: ${error.message}`);
    if (problems.size === MAX_REPORTED_PROBLEMS) break;
  }
  const errors = [...problems];
  throw new AppError('BAD_REQUEST', errors.join('; '), { errors });
}

export interface CommandTriggerData {
  readonly command: string;
  readonly args: readonly string[];
  readonly args_text: string;
  readonly message: string;
  readonly user_id: string | number;
  readonly username: string | null;
  readonly platform: string;
  readonly channel_id: string | number | null;
  readonly message_id: string | number | null;
  readonly is_mod: boolean;
  readonly [key: string]: unknown;
}

export interface EventTriggerData {
  readonly event_type: string;
  readonly platform: string;
  readonly user_id: string | number;
  readonly username: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

function stripBang(word: string): string {
  return word.length > 1 && word.startsWith('!') ? word.slice(1) : word;
}

/**
 * `command` is the `command` field, else the first word of `message`. `args` is the `args` field,
 * else the words of the message after the command word; `args_text` is that rest of the message
 * as typed (or the args joined by spaces).
 */
export function commandTriggerData(event: DispatchEvent): CommandTriggerData {
  const message = event.message ?? '';
  const line = message.trim();
  const firstWord = line.split(/\s/, 1)[0] ?? '';
  const command = event.command ?? firstWord;
  if (!command) throw new AppError('BAD_REQUEST', 'A command event needs `command` or a non-empty `message`');
  const startsWithCommand = firstWord !== '' && stripBang(firstWord).toLowerCase() === stripBang(command).toLowerCase();
  const rest = (startsWithCommand ? line.slice(firstWord.length) : event.command ? line : '').trim();
  const args = event.args ?? (rest ? rest.split(/\s+/) : []);
  return {
    command,
    args,
    args_text: event.args ? event.args.join(' ') : rest,
    message,
    user_id: event.user_id,
    username: event.username ?? null,
    platform: event.platform,
    channel_id: event.channel_id ?? null,
    message_id: event.message_id ?? null,
    is_mod: event.is_mod === true,
  };
}

/**
 * `/test` trigger data through the same builder as a chat command: a `message` without `args`
 * gains `command`, `args` and `args_text` as a dispatched command would; given fields are kept.
 */
export function testTriggerData(data: Record<string, unknown>, userId: string): Record<string, unknown> {
  if (typeof data.message !== 'string' || data.message.trim() === '' || data.args !== undefined) return data;
  const built = commandTriggerData({
    type: 'command',
    entity_id: 0,
    platform: typeof data.platform === 'string' ? data.platform : 'test',
    user_id: userId,
    message: data.message,
    ...(typeof data.command === 'string' ? { command: data.command } : {}),
  });
  return { ...built, ...data, args: built.args, args_text: built.args_text, command: built.command };
}

export function eventTriggerData(event: DispatchEvent): EventTriggerData {
  if (!event.event_type) throw new AppError('BAD_REQUEST', 'An event of type "event" needs `event_type`');
  return {
    event_type: event.event_type,
    platform: event.platform,
    user_id: event.user_id,
    username: event.username ?? null,
    data: event.data ?? {},
    // Not in §5's list, but a reply in chat needs to know where the event happened.
    ...(event.channel_id !== undefined ? { channel_id: event.channel_id } : {}),
    ...(event.message_id !== undefined ? { message_id: event.message_id } : {}),
  };
}

/**
 * Each filter path must resolve in the trigger data to a value equal to the filter's: scalars
 * compare as strings (a router's `"1000"` equals a filter's `1000`), objects and arrays deeply.
 */
export function filtersHold(filters: ReadonlyArray<readonly [string, unknown]>, data: unknown): boolean {
  for (const [path, expected] of filters) {
    const actual = getPath(data, path);
    if (actual === undefined) return false;
    const actualIsObject = typeof actual === 'object' && actual !== null;
    const expectedIsObject = typeof expected === 'object' && expected !== null;
    if (actualIsObject || expectedIsObject) {
      if (!isDeepStrictEqual(actual, expected)) return false;
    } else if (String(actual) !== String(expected)) {
      return false;
    }
  }
  return true;
}
