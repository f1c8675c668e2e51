/**
 * @module nodes/action-webhook
 * An outbound HTTP call built from templated config. The request goes through the guarded client
 * of the context (SSRF checks, size bounds); this module builds it, signs the body when a secret is
 * set, and turns the status into output or a retryable / non-retryable NodeError.
 */
import { createHmac } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { hasTemplate } from '../core/templates.ts';
import { type Defaulted, literalUnion, pathProblems, pathString } from './common-schemas.ts';
import { headerValue, statusError, toNodeError } from './deliver.ts';
import { defineNode, NodeError, type OutboundResponse } from './node-type.ts';
import { createRenderer, type Renderer } from './render-in-context.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const ActionWebhookConfigSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL; may be a template' }),
    method: Type.Optional(literalUnion(HTTP_METHODS, { default: 'POST' })),
    headers: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 8192 }), {
        default: {},
        // Values of headers whose names look secret (Authorization, X-Api-Key…) are masked for viewers.
        'x-secret-by-name': true,
      }),
    ),
    query: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 256 }),
        Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        {
          default: {},
        },
      ),
    ),
    body: Type.Optional(Type.Unknown({ description: 'object or string; strings inside are templates' })),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 300, default: 10 })),
    output_variable: Type.Optional(pathString()),
    signing_secret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description: 'adds X-Webhook-Signature: sha256=<hex HMAC of the body>',
        writeOnly: true,
      }),
    ),
  },
  { additionalProperties: false },
);
export type ActionWebhookConfig = Defaulted<
  Static<typeof ActionWebhookConfigSchema>,
  'method' | 'headers' | 'query' | 'timeout_seconds'
>;

/** Null for an http(s) URL; a templated URL is checked as far as its literal scheme goes. */
export function webhookUrlProblem(url: string): string | null {
  if (hasTemplate(url)) {
    const literal = url.slice(0, url.indexOf('{{'));
    if (!literal.includes('://') || /^https?:\/\//i.test(literal)) return null;
    return `config field 'url': '${url}' is not an http(s) URL`;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? null
      : `config field 'url': '${url}' is not an http(s) URL`;
  } catch {
    return `config field 'url': '${url}' is not a valid URL`;
  }
}

function buildUrl(config: ActionWebhookConfig, render: Renderer): string {
  const rendered = render.text(config.url).trim();
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new NodeError(`url '${rendered}' is not a valid URL`, 'INVALID_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeError(`url '${rendered}' is not an http(s) URL`, 'INVALID_URL');
  }
  for (const [name, value] of Object.entries(config.query)) url.searchParams.append(name, render.text(value));
  return url.toString();
}

function buildBody(config: ActionWebhookConfig, render: Renderer): { body?: string; contentType?: string } {
  if (config.body === undefined || config.method === 'GET' || config.method === 'HEAD') return {};
  const rendered = render.value(config.body);
  if (typeof rendered === 'string') return { body: rendered, contentType: 'text/plain; charset=utf-8' };
  return { body: JSON.stringify(rendered ?? null), contentType: 'application/json' };
}

function buildHeaders(
  config: ActionWebhookConfig,
  render: Renderer,
  contentType: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.headers)) {
    const value = render.text(template);
    // A templated header value must not smuggle a second header or a body in.
    if (/[\r\n\0]/.test(value))
      throw new NodeError(`header '${name}' contains a line break after rendering`, 'INVALID_HEADER');
    headers[name] = value;
  }
  if (contentType && headerValue(headers, 'content-type') === undefined) headers['Content-Type'] = contentType;
  return headers;
}

export const actionWebhook = defineNode<ActionWebhookConfig>({
  type: 'action_webhook',
  category: 'action',
  description: 'Calls an HTTP endpoint (SSRF-guarded); output {status, headers, body}.',
  configSchema: ActionWebhookConfigSchema,
  outputSchema: Type.Object({
    status: Type.Integer(),
    headers: Type.Record(Type.String(), Type.String()),
    body: Type.Unknown({ description: 'parsed JSON, or text' }),
  }),
  examples: [
    { url: 'https://api.example.com/hooks/release', method: 'POST', body: { text: 'Released {{ release }}' } },
  ],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'external',
  validateConfig(config) {
    const problems = pathProblems('output_variable', config.output_variable);
    const url = webhookUrlProblem(config.url);
    if (url) problems.push(url);
    for (const name of Object.keys(config.headers)) {
      if (!HEADER_NAME.test(name)) problems.push(`config field 'headers.${name}': not a valid header name`);
    }
    return problems;
  },
  async execute(config, _input, ctx) {
    const render = createRenderer(ctx);
    const url = buildUrl(config, render);
    const { body, contentType } = buildBody(config, render);
    const headers = buildHeaders(config, render, contentType);
    if (config.signing_secret !== undefined) {
      const secret = render.text(config.signing_secret);
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'x-webhook-signature') delete headers[name];
      headers['X-Webhook-Signature'] = `sha256=${createHmac('sha256', secret)
        .update(body ?? '')
        .digest('hex')}`;
    }
    let response: OutboundResponse;
    try {
      response = await ctx.http.request({
        url,
        method: config.method,
        headers,
        body,
        timeoutMs: config.timeout_seconds * 1000,
        signal: ctx.signal,
      });
    } catch (error) {
      throw toNodeError(error, ctx, `${config.method} ${url}`);
    }
    if (response.status >= 400) {
      throw statusError(
        response.status,
        `${config.method} ${url}`,
        headerValue(response.headers, 'retry-after'),
        ctx.now(),
      );
    }
    const output = { status: response.status, headers: response.headers, body: response.body };
    if (config.output_variable !== undefined) ctx.scope.set(config.output_variable, output);
    return { output, ports: ['output'] };
  },
});
