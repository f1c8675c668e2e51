/**
 * @module services/execute-request
 * The one definition of an execute or test request (PRODUCT.md §5, §10): REST validates its
 * body with these schemas, gRPC checks the request it decoded against the same ones, the
 * execution service takes their static types as its input and holds both to the serialized
 * size limit of `variables`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EntityIdSchema } from '../core/ids.ts';
import { AppError } from '../errors.ts';

/** The longest an execute request may wait for its run to end. */
export const MAX_WAIT_SECONDS = 300;

export const VariablesRequestSchema = Type.Record(Type.String({ maxLength: 128 }), Type.Unknown(), {
  maxProperties: 1000,
});

const Common = {
  community_id: Type.Optional(Type.Union([EntityIdSchema, Type.Null()])),
  variables: Type.Optional(VariablesRequestSchema),
  metadata: Type.Optional(VariablesRequestSchema),
  trigger_node_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

export const ExecuteRequestSchema = Type.Object(
  {
    ...Common,
    wait_for_completion: Type.Optional(Type.Boolean()),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_WAIT_SECONDS })),
  },
  { additionalProperties: false },
);
export type ExecuteInput = Static<typeof ExecuteRequestSchema>;

export const TestRequestSchema = Type.Object(
  {
    ...Common,
    trigger_data: Type.Optional(VariablesRequestSchema),
    mock_outputs: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 2000 })),
    // node id -> error message: that node fails at once, without retries (error port or failure).
    mock_errors: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.String({ minLength: 1, maxLength: 2000 }), {
        maxProperties: 2000,
      }),
    ),
  },
  { additionalProperties: false },
);
export type TestInput = Static<typeof TestRequestSchema>;

/** For doors without a schema validator of their own (gRPC): the REST body schema, one message. */
export function checkExecuteRequest(value: unknown): ExecuteInput {
  if (Value.Check(ExecuteRequestSchema, value)) return value;
  const first = Value.Errors(ExecuteRequestSchema, value).First();
  const where = first?.path ? `request${first.path.replace(/\//g, '.')}` : 'request';
  throw new AppError('BAD_REQUEST', `${where}: ${first?.message ?? 'is invalid'}`);
}

/** Queued runs keep their variables until they start: each request's share is bounded. */
export function checkVariablesSize(variables: unknown, limitBytes: number): void {
  if (variables === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(variables));
  if (bytes > limitBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `variables are ${bytes} bytes serialized; the limit is ${limitBytes} (VARIABLES_LIMIT_BYTES)`,
      { field: 'variables', bytes, limit: limitBytes },
    );
  }
}
