/**
 * @module test/helpers/openapi
 * The app's OpenAPI document and how its operations are named, for the document tests and the
 * response-audit check.
 */
import type { TestApp } from './app.ts';

export interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly security?: unknown[];
  readonly parameters?: Array<{ name: string; in: string; required?: boolean; schema: { default?: unknown } }>;
  readonly requestBody?: { required: boolean; content: Record<string, { schema: object; example?: unknown }> };
  readonly responses: Record<
    string,
    { description: string; content?: Record<string, { schema: object; example?: unknown }> }
  >;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, Record<string, unknown>> };
}

export async function loadDocument(t: TestApp): Promise<OpenApiDocument> {
  const response = await t.request({ method: 'GET', url: '/docs/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`GET /docs/openapi.json: ${response.statusCode} ${response.body}`);
  return JSON.parse(response.body) as OpenApiDocument;
}

/** "/api/v1/workflows/:workflow_id" → "/api/v1/workflows/{workflow_id}" */
export function documentPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * Pages, not API operations, hidden from the document: the /docs UI's pages and assets
 * (registered by @fastify/swagger-ui) and the web app's pages and assets (`GET /*`).
 */
export function isPageRoute(url: string): boolean {
  return (
    url === '/*' || url === '/docs' || url === '/docs/json' || url === '/docs/yaml' || url.startsWith('/docs/static/')
  );
}

export function operationOf(document: OpenApiDocument, method: string, url: string): Operation | undefined {
  return document.paths[documentPath(url)]?.[method.toLowerCase()];
}
