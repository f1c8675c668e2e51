/**
 * @module delivery/response-body
 * Reading an outbound response without trusting its size, and turning it into what nodes see:
 * parsed JSON when the response says it is JSON (and is), else text. Shared by the guarded client
 * and the router client.
 */
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/json-depth.ts';
import { NodeError } from '../nodes/node-type.ts';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ByteStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Collects the body, aborting the stream as soon as it passes `maxBytes` (or declares it will). */
export async function readBoundedBody(
  body: ByteStream,
  maxBytes: number,
  declaredLength: string | string[] | undefined,
): Promise<Buffer> {
  const tooLarge = () =>
    new NodeError(`response body exceeds the limit of ${maxBytes} bytes`, 'HTTP_ERROR', { retryable: false });
  const declared = typeof declaredLength === 'string' ? Number(declaredLength) : Number.NaN;
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Destroying an unread undici body emits an abort error; nobody else is listening for it.
    body.on('error', () => undefined);
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      // Leaving the loop early destroys the stream, so the rest is never downloaded.
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

function isJsonContentType(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!value) return false;
  const mediaType = value.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * JSON responses parsed (text when they are not valid JSON after all), everything else as text.
 * JSON nested deeper than request bodies may be is refused (a node error, never retried).
 */
export function parseResponseBody(bytes: Buffer, contentType: string | string[] | undefined): unknown {
  const text = bytes.toString('utf8');
  if (!isJsonContentType(contentType) || text.trim() === '') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return text;
  }
  if (jsonDepthExceeds(parsed, MAX_JSON_DEPTH)) {
    throw new NodeError(`response body nests deeper than ${MAX_JSON_DEPTH} levels`, 'RESPONSE_TOO_DEEP', {
      retryable: false,
    });
  }
  return parsed;
}

/** Response headers as one string per name (repeated headers joined with ", "). */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
