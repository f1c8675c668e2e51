/**
 * @module http/envelope
 * The response envelope of the reference: `{success: true, data, message?, meta?}` and the error
 * envelope, their schemas (which Fastify serializes answers with and the OpenAPI document shows),
 * and the query schemas every list shares.
 */
import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { ERROR_CODES } from '../errors.ts';
import type { Pagination } from '../store/pagination.ts';

export function ok<T>(data: T, message?: string, meta?: Record<string, unknown>) {
  return { success: true as const, ...(message ? { message } : {}), data, ...(meta ? { meta } : {}) };
}

export function paged<T>(data: readonly T[], pagination: Pagination, message?: string) {
  return ok(data, message, { pagination });
}

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const Uuid = Type.String({ format: 'uuid' });
export const WorkflowParams = Type.Object({ workflow_id: Uuid }, { additionalProperties: false });

/**
 * A string enum as one `enum` keyword: the serializer writes it without trying union branches,
 * and the document lists the values.
 */
export function stringEnum<const T extends readonly string[]>(values: T, options: object = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** `schema` or null, as a JSON Schema type list (no `anyOf` for the serializer to try). */
export function nullable<T extends TSchema>(schema: T): TUnsafe<T['static'] | null> {
  const type = (schema as { type?: string }).type;
  if (typeof type !== 'string') throw new Error('nullable() needs a schema with one type');
  return Type.Unsafe<T['static'] | null>({ ...schema, type: [type, 'null'] });
}

export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = nullable(Timestamp);

export const PaginationSchema = Type.Object(
  {
    page: Type.Integer(),
    per_page: Type.Integer(),
    total: Type.Integer(),
    total_pages: Type.Integer(),
    has_next: Type.Boolean(),
    has_prev: Type.Boolean(),
  },
  { additionalProperties: false },
);

/**
 * Answer schemas are typed `unknown` for handlers: services build their views with readonly and
 * wider types than the schemas spell out, and the suite's response audit (response-audit.ts)
 * checks every answer against its schema at run time instead.
 */
function answer(schema: TSchema): TUnsafe<unknown> {
  return Type.Unsafe<unknown>(schema);
}

/** `{success: true, message?, data}` around `data`. */
export function Envelope<T extends TSchema>(data: T, description: string) {
  return answer(
    Type.Object(
      { success: Type.Literal(true), message: Type.Optional(Type.String()), data },
      { additionalProperties: false, description },
    ),
  );
}

/** A page of `item`s with the pagination `meta` of the reference. */
export function PagedEnvelope<T extends TSchema>(item: T, description: string) {
  return answer(
    Type.Object(
      {
        success: Type.Literal(true),
        message: Type.Optional(Type.String()),
        data: Type.Array(item),
        meta: Type.Object({ pagination: PaginationSchema }, { additionalProperties: false }),
      },
      { additionalProperties: false, description },
    ),
  );
}

const CODES_BY_STATUS = new Map<number, string[]>();
for (const [code, { http }] of Object.entries(ERROR_CODES)) {
  CODES_BY_STATUS.set(http, [...(CODES_BY_STATUS.get(http) ?? []), code]);
}

/** The error envelope for `status`, its description naming the codes that answer with it. */
export function ErrorEnvelope(status: number) {
  const codes = CODES_BY_STATUS.get(status) ?? [];
  return Type.Object(
    {
      success: Type.Literal(false),
      error: Type.Object(
        {
          code: stringEnum(Object.keys(ERROR_CODES)),
          message: Type.String(),
          details: Type.Object({}, { additionalProperties: true }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false, description: `Error (${codes.join(', ') || 'see code'})` },
  );
}

/** Error statuses a route answers beyond the ones every route of its kind shares (see route-responses.ts). */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ErrorEnvelope(status)]));
}
