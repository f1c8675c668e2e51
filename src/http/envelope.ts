/**
 * @module http/envelope
 * The response envelope of the reference: `{success: true, data, message?, meta?}`, and the
 * query schemas every list shares.
 */
import { Type } from '@sinclair/typebox';
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
