/**
 * @module store/pagination
 * Page arithmetic shared by every list: the reference's `meta.pagination` block.
 */

export interface PageRequest {
  readonly page: number;
  readonly per_page: number;
}

export interface Pagination {
  readonly page: number;
  readonly per_page: number;
  readonly total: number;
  readonly total_pages: number;
  readonly has_next: boolean;
  readonly has_prev: boolean;
}

export function offsetOf(request: PageRequest): number {
  return (request.page - 1) * request.per_page;
}

export function paginationOf(request: PageRequest, total: number): Pagination {
  const totalPages = Math.ceil(total / request.per_page);
  return {
    page: request.page,
    per_page: request.per_page,
    total,
    total_pages: totalPages,
    has_next: request.page < totalPages,
    has_prev: request.page > 1,
  };
}

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
export function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
