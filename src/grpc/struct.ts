/**
 * @module grpc/struct
 * google.protobuf.Struct ↔ plain JSON, for messages loaded by proto-loader with `oneofs: true`
 * (a Value arrives as `{kind: 'stringValue', stringValue: 'x'}`). Values JSON cannot hold
 * (undefined, functions) are dropped, non-finite numbers become null, as JSON.stringify does.
 */

export interface ProtoValue {
  kind?: string;
  nullValue?: number | string;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: ProtoStruct;
  listValue?: { values?: ProtoValue[] };
}

export interface ProtoStruct {
  fields?: Record<string, ProtoValue>;
}

const MAX_DEPTH = 64;

export function toProtoValue(value: unknown, depth = 0): ProtoValue | undefined {
  if (depth > MAX_DEPTH) throw new RangeError('value nests too deeply for a Struct');
  if (value === null) return { kind: 'nullValue', nullValue: 0 };
  switch (typeof value) {
    case 'string':
      return { kind: 'stringValue', stringValue: value };
    case 'number':
      return Number.isFinite(value) ? { kind: 'numberValue', numberValue: value } : { kind: 'nullValue', nullValue: 0 };
    case 'boolean':
      return { kind: 'boolValue', boolValue: value };
    case 'bigint':
      return { kind: 'stringValue', stringValue: value.toString() };
    case 'object': {
      if (Array.isArray(value)) {
        const values = value.map((item) => toProtoValue(item, depth + 1) ?? { kind: 'nullValue', nullValue: 0 });
        return { kind: 'listValue', listValue: { values } };
      }
      if (value instanceof Date) return { kind: 'stringValue', stringValue: value.toISOString() };
      return { kind: 'structValue', structValue: toProtoStruct(value as Record<string, unknown>, depth + 1) };
    }
    default:
      return undefined;
  }
}

/** A JSON object as a Struct; anything else (a string output, an array) is wrapped as `{value}`. */
export function toProtoStruct(value: unknown, depth = 0): ProtoStruct {
  if (value === null || value === undefined) return { fields: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return toProtoStruct({ value }, depth);
  const fields: Record<string, ProtoValue> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = toProtoValue(item, depth);
    if (converted) fields[key] = converted;
  }
  return { fields };
}

export function fromProtoValue(value: ProtoValue | null | undefined): unknown {
  if (!value) return null;
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue ?? 0;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'structValue':
      return fromProtoStruct(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromProtoValue);
    default:
      return null;
  }
}

export function fromProtoStruct(struct: ProtoStruct | null | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) {
    // Keys come from the caller: define, never assign, so `__proto__` stays a plain key.
    Object.defineProperty(result, key, {
      value: fromProtoValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
