/**
 * @module nodes/trigger-data
 * What every trigger node does when a run starts: pass the trigger data (kept whole under
 * `trigger` in the variables) on through `output`.
 */
import type { NodeContext, NodeResult } from './node-type.ts';

export function emitTriggerData(_config: unknown, _input: unknown, ctx: NodeContext): NodeResult {
  return { output: ctx.scope.get('trigger') ?? {}, ports: ['output'] };
}
