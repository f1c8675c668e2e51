/**
 * @module nodes/action-delay
 * Waits. The wait goes through ctx.sleep, which cancellation interrupts and which test mode makes
 * a no-op; the delay is capped so one node cannot park an execution for long.
 */
import { type Static, Type } from '@sinclair/typebox';
import { toNumber } from '../core/rules.ts';
import { type Defaulted, pathProblems, pathString } from './common-schemas.ts';
import { defineNode } from './node-type.ts';

export const MAX_DELAY_MS = 300_000;

export const ActionDelayConfigSchema = Type.Object(
  {
    delay_ms: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: `capped at ${MAX_DELAY_MS}` })),
    delay_variable: Type.Optional(pathString({ description: 'path of a number of milliseconds; overrides delay_ms' })),
  },
  { additionalProperties: false },
);
export type ActionDelayConfig = Defaulted<Static<typeof ActionDelayConfigSchema>, 'delay_ms'>;

export const actionDelay = defineNode<ActionDelayConfig>({
  type: 'action_delay',
  category: 'action',
  description: `Waits delay_ms (or the value of delay_variable) milliseconds, at most ${MAX_DELAY_MS}.`,
  configSchema: ActionDelayConfigSchema,
  outputSchema: Type.Object({ delay_ms: Type.Integer({ description: 'how long it waited' }) }),
  examples: [{ delay_ms: 5000 }],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  costlyToRepeat: true,
  validateConfig: (config) => pathProblems('delay_variable', config.delay_variable),
  async execute(config, _input, ctx) {
    let requested = config.delay_ms;
    if (config.delay_variable !== undefined) {
      const fromVariable = toNumber(ctx.scope.get(config.delay_variable));
      if (Number.isNaN(fromVariable)) {
        ctx.log(`warning: '${config.delay_variable}' is not a number; using delay_ms (${config.delay_ms})`);
      } else {
        requested = fromVariable;
      }
    }
    const delayMs = Math.min(Math.max(0, Math.round(requested)), MAX_DELAY_MS);
    if (delayMs < requested) ctx.log(`delay of ${requested} ms capped at ${MAX_DELAY_MS} ms`);
    await ctx.sleep(delayMs);
    return { output: { delay_ms: delayMs }, ports: ['output'] };
  },
});
