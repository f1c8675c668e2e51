/**
 * @module nodes/trigger-webhook
 * Entry point for the workflow's webhooks (section 9); the webhook itself is configured through
 * the webhooks API, so the node has no config.
 */
import { Type } from '@sinclair/typebox';
import { enabledTriggers } from './enabled-triggers.ts';
import { defineNode } from './node-type.ts';
import { WebhookTriggerOutputSchema } from './output-schemas.ts';
import { emitTriggerData } from './trigger-data.ts';

export const TriggerWebhookConfigSchema = Type.Object({}, { additionalProperties: false });

export const triggerWebhook = defineNode<Record<string, never>>({
  type: 'trigger_webhook',
  category: 'trigger',
  description: "Starts the workflow when one of its webhooks is called; the JSON body's keys become variables.",
  configSchema: TriggerWebhookConfigSchema,
  outputSchema: WebhookTriggerOutputSchema,
  examples: [{}],
  outputPorts: ['output'],
  hasInput: false,
  effect: 'none',
  execute: emitTriggerData,
});

/** The nodes a webhook call starts (PRODUCT.md §9): the enabled trigger_webhook nodes, and only those. */
export function webhookTriggerNodeIds(
  nodes: Readonly<Record<string, { readonly node_type: string; readonly enabled?: boolean }>>,
): string[] {
  return enabledTriggers(nodes, triggerWebhook).map((node) => node.nodeId);
}
