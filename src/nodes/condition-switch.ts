/**
 * @module nodes/condition-switch
 * Routes the token to the port of the case equal to a variable (compared as strings), else to
 * `default_port`. Its output ports come from its config.
 */
import { type Static, Type } from '@sinclair/typebox';
import { stringifyValue } from '../core/templates.ts';
import { type Defaulted, pathProblems, pathString } from './common-schemas.ts';
import { defineNode } from './node-type.ts';

function portName(options: { readonly default?: string } = {}) {
  return Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', ...options });
}

export const ConditionSwitchConfigSchema = Type.Object(
  {
    variable: pathString({ description: 'path of the value to switch on' }),
    cases: Type.Record(Type.String({ maxLength: 256 }), portName(), {
      maxProperties: 100,
      description: 'value (as a string) → output port name',
    }),
    default_port: Type.Optional(portName({ default: 'default' })),
  },
  { additionalProperties: false },
);
export type ConditionSwitchConfig = Defaulted<Static<typeof ConditionSwitchConfigSchema>, 'default_port'>;

/** One port per distinct case port, in case order, then the default port. */
export function switchPorts(config: { readonly cases?: unknown; readonly default_port?: unknown }): readonly string[] {
  const ports = new Set<string>();
  if (config.cases !== null && typeof config.cases === 'object') {
    for (const port of Object.values(config.cases)) if (typeof port === 'string') ports.add(port);
  }
  ports.add(typeof config.default_port === 'string' ? config.default_port : 'default');
  return [...ports];
}

export const conditionSwitch = defineNode<ConditionSwitchConfig>({
  type: 'condition_switch',
  category: 'condition',
  description:
    'Continues on the port of the first case equal to the variable (as strings), else on default_port. Output ports: one per port named in cases, plus default_port.',
  configSchema: ConditionSwitchConfigSchema,
  outputSchema: Type.Object({
    value: Type.Unknown({ description: 'the value switched on' }),
    port: Type.String({ description: 'the port taken' }),
  }),
  examples: [{ variable: 'args[0]', cases: { on: 'enable', off: 'disable' } }],
  outputPorts: switchPorts,
  hasInput: true,
  effect: 'none',
  validateConfig: (config) => pathProblems('variable', config.variable),
  execute(config, _input, ctx) {
    const value = stringifyValue(ctx.scope.get(config.variable));
    // Case keys are distinct strings, so at most one equals the value: the first equal case is that one.
    const port = Object.hasOwn(config.cases, value) ? config.cases[value] : config.default_port;
    return { output: { value, port }, ports: [port] };
  },
});
