/**
 * @module editor/template-variables
 * What a `{{ path }}` in a node's config can name there: the workflow's global variables, the
 * trigger fields of its trigger types (PRODUCT.md §5), and `nodes.<id>.output` of every node
 * upstream of it.
 */
import type { WorkflowDocument } from './workflow-document.ts';

const TRIGGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  trigger_command: [
    'command',
    'args',
    'args_text',
    'message',
    'user_id',
    'username',
    'platform',
    'channel_id',
    'message_id',
    'is_mod',
  ],
  trigger_event: ['event_type', 'platform', 'user_id', 'username', 'data'],
  trigger_webhook: ['trigger.body', 'trigger.headers', 'trigger.query', 'trigger.webhook_id', 'trigger.client_ip'],
  trigger_schedule: ['schedule_id', 'scheduled_for', 'fired_at'],
  trigger_manual: [],
};

export interface TemplateVariable {
  readonly path: string;
  readonly detail: string;
}

/** The node ids from which a token can reach `nodeId`. */
export function upstreamOf(doc: WorkflowDocument, nodeId: string): string[] {
  const incoming = new Map<string, string[]>();
  for (const c of doc.connections) {
    const list = incoming.get(c.to_node_id) ?? [];
    list.push(c.from_node_id);
    incoming.set(c.to_node_id, list);
  }
  const seen = new Set<string>();
  const stack = [...(incoming.get(nodeId) ?? [])];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id) || id === nodeId) continue;
    seen.add(id);
    stack.push(...(incoming.get(id) ?? []));
  }
  return [...seen].sort();
}

export function templateVariables(
  doc: WorkflowDocument,
  nodeId: string,
  globals: Readonly<Record<string, unknown>> = {},
): TemplateVariable[] {
  const found = new Map<string, string>();
  for (const name of Object.keys(globals)) found.set(name, 'global variable');
  const triggerTypes = new Set(
    Object.values(doc.nodes)
      .map((n) => n.node_type)
      .filter((t) => t.startsWith('trigger_')),
  );
  for (const type of triggerTypes) {
    for (const field of TRIGGER_FIELDS[type] ?? []) if (!found.has(field)) found.set(field, `${type} field`);
    found.set('trigger', 'the trigger data, whole');
  }
  for (const id of upstreamOf(doc, nodeId)) found.set(`nodes.${id}.output`, `output of ${doc.nodes[id]?.node_type}`);
  return [...found].map(([path, detail]) => ({ path, detail }));
}

/** A prefilled test payload for the workflow's trigger type (editable in the test panel). */
export function samplePayload(triggerType: string | undefined): Record<string, unknown> {
  switch (triggerType) {
    case 'trigger_command':
      return {
        message: '!hello world',
        user_id: 'u1',
        username: 'tester',
        platform: 'twitch',
        channel_id: 'c1',
        is_mod: false,
      };
    case 'trigger_event':
      return { event_type: 'follow', platform: 'twitch', user_id: 'u1', username: 'tester', data: {} };
    case 'trigger_webhook':
      return { body: { hello: 'world' } };
    case 'trigger_schedule':
      return { scheduled_for: new Date(0).toISOString() };
    default:
      return {};
  }
}
