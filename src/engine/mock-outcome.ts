/**
 * @module engine/mock-outcome
 * What a node "returns" when it is not executed. Mock outputs (test mode): the output is the mock
 * value and the ports are chosen as follows:
 * - `{port: "x"}` or `{ports: [...]}` naming declared ports picks them (with `output` given in
 *   the same object, that is the output instead of the whole object);
 * - a boolean on a true/false node picks that port;
 * - else the default port: `output`, `true`, `done`, the config's `default_port`, `default`, the first.
 * A mocked loop or parallel node does not loop or fork; it continues at that port.
 * Disabled nodes pass their input through on the same default port.
 */
import type { RunOutcome } from './state.ts';

const PORT_PREFERENCE = ['output', 'true', 'done'] as const;

export function defaultPorts(ports: readonly string[], config: Record<string, unknown>): readonly string[] {
  for (const port of PORT_PREFERENCE) if (ports.includes(port)) return [port];
  const configured = config.default_port;
  if (typeof configured === 'string' && ports.includes(configured)) return [configured];
  if (ports.includes('default')) return ['default'];
  return ports.length > 0 ? [ports[0]] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mockOutcome(ports: readonly string[], config: Record<string, unknown>, mock: unknown): RunOutcome {
  let output = mock;
  if (isRecord(mock) && (typeof mock.port === 'string' || Array.isArray(mock.ports))) {
    const wanted = Array.isArray(mock.ports) ? mock.ports : [mock.port];
    const hinted = wanted.filter(
      (p): p is string => typeof p === 'string' && (ports.length === 0 || ports.includes(p)),
    );
    if (Object.hasOwn(mock, 'output')) output = mock.output;
    if (hinted.length > 0) return { output, ports: hinted };
  }
  if (typeof mock === 'boolean' && ports.includes('true') && ports.includes('false')) {
    return { output: mock, ports: [String(mock)] };
  }
  return { output, ports: defaultPorts(ports, config) };
}
