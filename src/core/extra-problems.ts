/**
 * @module core/extra-problems
 * Validation problems found outside the pure pass (they need the store: credentials, called
 * workflows), folded into a validation result with the same rules: node errors first in node
 * order, grouped by node, counts matching the lists.
 */
import type { ValidationResult } from './validate.ts';

export interface NodeProblem {
  readonly nodeId: string;
  readonly message: string;
}

export function withNodeProblems(
  result: ValidationResult,
  nodeIds: readonly string[],
  problems: readonly NodeProblem[],
  workflowErrors: readonly string[] = [],
): ValidationResult {
  if (problems.length === 0 && workflowErrors.length === 0) return result;
  const grouped: Record<string, string[]> = {};
  for (const [id, messages] of Object.entries(result.node_validation_errors)) grouped[id] = [...messages];
  for (const { nodeId, message } of problems) {
    grouped[nodeId] = [...(grouped[nodeId] ?? []), `Node '${nodeId}': ${message}`];
  }
  const ordered = Object.fromEntries(nodeIds.filter((id) => grouped[id]).map((id) => [id, grouped[id]]));
  const nodeMessages = new Set(Object.values(result.node_validation_errors).flat());
  const otherErrors = result.errors.filter((message) => !nodeMessages.has(message));
  const errors = [...Object.values(ordered).flat(), ...otherErrors, ...workflowErrors];
  return {
    ...result,
    is_valid: errors.length === 0,
    errors,
    node_validation_errors: ordered,
    error_count: errors.length,
  };
}
