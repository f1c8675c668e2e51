/**
 * @module editor/test-pins
 * Pinned test outputs live in this browser (per workflow), not in the definition: they are sent
 * as `mock_outputs` with test runs and can never reach a published run.
 */
const key = (workflowId: string) => `workflow-core.pins.${workflowId}`;

export function loadPins(workflowId: string): Record<string, unknown> {
  try {
    const value = JSON.parse(localStorage.getItem(key(workflowId)) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

export function savePins(workflowId: string, pins: Record<string, unknown>): void {
  if (Object.keys(pins).length) localStorage.setItem(key(workflowId), JSON.stringify(pins));
  else localStorage.removeItem(key(workflowId));
}

/** Only pins of nodes that still exist go out (the server refuses unknown node ids). */
export function mockOutputs(pins: Record<string, unknown>, nodeIds: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of nodeIds) if (Object.hasOwn(pins, id)) out[id] = pins[id];
  return out;
}
