/**
 * @module http/error-handler
 * Renders every failure as the reference's error envelope. AppErrors carry their code; Fastify's
 * own errors (validation, body size, media type, bad JSON) map to ours; anything else is a 500
 * whose stack goes to the log with the request id, never to the caller.
 */
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, ERROR_CODES, type ErrorCode, isAppError } from '../errors.ts';
import { describeValidationErrors } from './validation.ts';

function envelope(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { success: false as const, error: { code, message, details } };
}

function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const part = error.validationContext ?? 'request';
    const messages = describeValidationErrors(part, error.validation as ErrorObject[]);
    return new AppError('BAD_REQUEST', messages.join('; '), { errors: messages });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_JSON', 'Request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_REQUEST', 'Content-Length does not match the body');
    default:
      break;
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('BAD_REQUEST', error.message);
  }
  return undefined;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = isAppError(error) ? error : fromFastifyError(error);
    if (known) {
      // A deliberate 5xx (shutting down, a dependency down) is an event, not a bug: no stack.
      if (known.httpStatus >= 500) request.log.warn({ code: known.code, request_id: request.id }, known.message);
      return reply.status(known.httpStatus).send(envelope(known.code, known.message, known.details));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(envelope('INTERNAL_ERROR', 'Internal server error', { request_id: request.id }));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(envelope('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}

export { ERROR_CODES };
