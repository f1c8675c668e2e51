/**
 * @module errors
 * The one registry of error codes: each code of the reference's table (and PRODUCT.md §11's
 * additions) with its HTTP status and gRPC status. Handlers throw AppError; one error handler
 * renders the envelope and the gRPC layer maps the same codes.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';

export const ERROR_CODES = {
  BAD_REQUEST: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNAUTHORIZED: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  PAYMENT_REQUIRED: { http: 402, grpc: GrpcStatus.FAILED_PRECONDITION },
  FORBIDDEN: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  PERMISSION_DENIED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  WORKFLOW_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  RATE_LIMIT_EXCEEDED: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  INTERNAL_ERROR: { http: 500, grpc: GrpcStatus.INTERNAL },
  EXECUTION_ERROR: { http: 400, grpc: GrpcStatus.FAILED_PRECONDITION },
  EXECUTION_TIMEOUT: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  WEBHOOK_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  WEBHOOK_DISABLED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  IP_NOT_ALLOWED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  SIGNATURE_REQUIRED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  SIGNATURE_INVALID: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  INVALID_JSON: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  VALIDATION_FAILED: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  WORKFLOW_NOT_ACTIVE: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  /** A PUT whose `expected_version` is not the stored one (PRODUCT.md §3): nothing was written. */
  VERSION_CONFLICT: { http: 409, grpc: GrpcStatus.ABORTED },
  EXECUTION_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  /** Cancelling a run that already ended: 400 for REST (PRODUCT.md §5), FAILED_PRECONDITION for gRPC (§10). */
  EXECUTION_NOT_CANCELLABLE: { http: 400, grpc: GrpcStatus.FAILED_PRECONDITION },
  /** A name already taken (credentials are unique by name within an entity). */
  CONFLICT: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  SERVICE_UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Request and validation errors list every problem, up to this many (PRODUCT.md §11). */
export const MAX_REPORTED_PROBLEMS = 50;

export class AppError extends Error {
  readonly httpStatus: number;
  readonly grpcStatus: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.httpStatus = ERROR_CODES[code].http;
    this.grpcStatus = ERROR_CODES[code].grpc;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

const HIDDEN_MESSAGES = {
  WORKFLOW_NOT_FOUND: 'Workflow not found',
  EXECUTION_NOT_FOUND: 'Execution not found',
  WEBHOOK_NOT_FOUND: 'Webhook not found',
} as const;

/**
 * The one answer for a resource that does not exist, is archived or is hidden from the caller:
 * the same code, message and (empty) details every time, on REST and gRPC, so ids cannot be probed.
 */
export function notFoundError(code: keyof typeof HIDDEN_MESSAGES): AppError {
  return new AppError(code, HIDDEN_MESSAGES[code]);
}
