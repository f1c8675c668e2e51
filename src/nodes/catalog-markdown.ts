/**
 * @module nodes/catalog-markdown
 * docs/nodes.md, rendered from the registry (`npm run docs` writes it; a test fails when the file
 * is stale): per node type its ports, config fields, output and example configs.
 */

import { withDefaults } from './config-defaults.ts';
import { INPUT_PORT } from './node-type.ts';
import { nodeTypes } from './registry.ts';

type Schema = Record<string, unknown>;

/** A short type name: `string`, `integer ≥ 0`, `"all" \| "any"`, `array of string`, `object`. */
export function typeOf(schema: Schema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map(typeOf).join(' \\| ');
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type as string | undefined);
  if (type === 'array') return `array of ${schema.items ? typeOf(schema.items as Schema) : 'any'}`;
  if (type === undefined) return 'any';
  const bounds = [
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '',
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : '',
  ].filter(Boolean);
  return bounds.length > 0 ? `${type} ${bounds.join(', ')}` : type;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fieldTable(schema: Schema, showDefaults: boolean): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const entries = Object.entries(properties);
  if (entries.length === 0) return [];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const header = showDefaults
    ? ['| field | type | required | default | description |', '|---|---|---|---|---|']
    : ['| field | type | description |', '|---|---|---|'];
  return [
    ...header,
    ...entries.map(([name, property]) => {
      const description = cell((property.description as string | undefined) ?? '');
      const type = typeOf(property).replace(/(?<!\\)\|/g, '\\|');
      if (!showDefaults) return `| \`${name}\` | ${type} | ${description} |`;
      const fallback = 'default' in property ? `\`${JSON.stringify(property.default)}\`` : '';
      return `| \`${name}\` | ${type} | ${required.has(name) ? 'yes' : ''} | ${fallback} | ${description} |`;
    }),
  ];
}

function outputSection(schema: Schema): string[] {
  const table = fieldTable(schema, false);
  if (table.length > 0) return ['Output (`nodes.<id>.output`):', '', ...table];
  const description = schema.description ? `: ${schema.description}` : '';
  return [`Output (\`nodes.<id>.output\`): ${typeOf(schema)}${description}.`];
}

export function renderNodeCatalog(): string {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Schema;
  const lines = [
    '# Node types',
    '',
    '<!-- Generated from src/nodes by `npm run docs`; do not edit by hand. -->',
    '',
    'Every node of a workflow has a `node_type` from this list and a `config` that follows its table',
    "(fields left out take their default). Templates (`{{ path }}`) read the run's variables; a node's",
    'output is reachable as `nodes.<id>.output` (e.g. `{{ nodes.fetch.output.body.title }}`). The same',
    'catalog, as JSON Schema, is `GET /api/v1/workflows/node-types`; `/docs` shows it per node type.',
    '',
    [...nodeTypes.values()].map((node) => `[\`${node.type}\`](#${node.type})`).join(' · '),
  ];
  for (const node of nodeTypes.values()) {
    const ports =
      typeof node.outputPorts === 'function'
        ? `${node.outputPorts(withDefaults(node.configSchema, {})).join(', ')} (with the default config; they follow the config)`
        : node.outputPorts.join(', ') || 'none';
    lines.push(
      '',
      `## ${node.type}`,
      '',
      `${node.description}`,
      '',
      `Category: ${node.category}. Input: ${node.hasInput ? INPUT_PORT : 'none (a trigger)'}. Output ports: ${ports}.`,
      '',
    );
    const config = fieldTable(plain(node.configSchema), true);
    lines.push(...(config.length > 0 ? ['Config:', '', ...config] : ['Config: none.']), '');
    lines.push(...outputSection(plain(node.outputSchema)), '');
    lines.push(node.examples.length > 1 ? 'Examples:' : 'Example:', '');
    for (const example of node.examples) {
      lines.push('```json', JSON.stringify({ node_type: node.type, config: example }), '```');
    }
  }
  return `${lines.join('\n')}\n`;
}
