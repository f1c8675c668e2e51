/**
 * @module grpc/status
 * AppError → gRPC status through the one error registry (`ERROR_CODES[code].grpc`), with the
 * AppError code in the `error-code` trailer; anything else is INTERNAL with a reference id the
 * log carries too, never a stack trace. And the caller's identity from `authorization` metadata.
 */
import { randomUUID } from 'node:crypto';
import { Metadata, type ServerErrorResponse, status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/jwt.ts';
import type { Principal } from '../core/permissions.ts';
import { isAppError } from '../errors.ts';

export function toServiceError(error: unknown, logger: Logger, rpc: string): Partial<ServerErrorResponse> {
  const metadata = new Metadata();
  if (isAppError(error)) {
    metadata.set('error-code', error.code);
    return { code: error.grpcStatus, details: error.message, metadata };
  }
  const reference = randomUUID();
  logger.error({ err: error, rpc, error_id: reference }, 'gRPC call failed');
  metadata.set('error-code', 'INTERNAL_ERROR');
  metadata.set('error-id', reference);
  return { code: status.INTERNAL, details: `Internal error (reference ${reference})`, metadata };
}

/** The principal behind the call's `authorization: Bearer …` metadata (401 → UNAUTHENTICATED). */
export function authenticate(authenticator: Authenticator, metadata: Metadata): Promise<Principal> {
  const value = metadata.get('authorization')[0];
  return authenticator.verify(typeof value === 'string' ? value : undefined);
}
