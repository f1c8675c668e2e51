import { describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client.ts';
import type { WorkflowNode } from '../api/types.ts';
import {
  type CalledWorkflow,
  type CalledWorkflows,
  calledWorkflowIds,
  calledWorkflowLabel,
  resolveCalledWorkflows,
} from './called-workflows.ts';

const CHILD = '11111111-1111-4111-8111-111111111111';
const FAR = '22222222-2222-4222-8222-222222222222';
const GONE = '33333333-3333-4333-8333-333333333333';
const OTHER_ENTITY = '44444444-4444-4444-8444-444444444444';
const UNREACHABLE = '55555555-5555-4555-8555-555555555555';

const call = (workflow_id?: unknown): WorkflowNode => ({
  node_type: 'action_workflow',
  config: workflow_id === undefined ? {} : { workflow_id },
});

describe('the workflows a document calls', () => {
  it('lists each called id once, sorted, and nothing from other node types', () => {
    expect(
      calledWorkflowIds({
        b: call(FAR),
        a: call(CHILD),
        again: call(FAR),
        unset: call(),
        empty: call(''),
        odd: call(42),
        say: { node_type: 'action_chat_message', config: { workflow_id: GONE } },
      }),
    ).toEqual([CHILD, FAR]);
  });
});

describe('what the card says', () => {
  const known: CalledWorkflows = new Map<string, CalledWorkflow>([
    [CHILD, { name: 'Child', status: 'active' }],
    [FAR, { name: 'Far', status: 'draft' }],
    [OTHER_ENTITY, { name: 'Old', status: 'archived' }],
    [GONE, 'missing'],
  ]);
  it('names the called workflow, and warns where a run would fail', () => {
    expect(calledWorkflowLabel(CHILD, known)).toEqual({ text: 'calls: Child', warn: false });
    expect(calledWorkflowLabel(FAR, known)).toEqual({ text: 'calls: Far (not published)', warn: true });
    expect(calledWorkflowLabel(OTHER_ENTITY, known)).toEqual({ text: 'calls: Old (archived)', warn: true });
    expect(calledWorkflowLabel(GONE, known)).toEqual({ text: 'calls: unknown workflow 33333333', warn: true });
    expect(calledWorkflowLabel(undefined, known)).toEqual({ text: 'calls: no workflow chosen', warn: true });
  });
  it('shows the id while the names load or when they could not be read', () => {
    expect(calledWorkflowLabel(CHILD, undefined)).toEqual({ text: 'calls: 11111111…', warn: false });
    expect(calledWorkflowLabel(UNREACHABLE, known)).toEqual({ text: 'calls: 55555555…', warn: false });
  });
});

describe('resolving the names', () => {
  const ok = (data: unknown) => ({ status: 200, body: { success: true, data } });
  const answers: Record<string, () => { status: number; body: unknown } | 'network'> = {
    '/api/v1/workflows?entity_id=123&per_page=100': () =>
      ok([
        { workflow_id: CHILD, name: 'Child', status: 'active', entity_id: 123 },
        { workflow_id: 'not-called', name: 'Other', status: 'active', entity_id: 123 },
      ]),
    [`/api/v1/workflows/${FAR}`]: () => ok({ workflow_id: FAR, name: 'Far', status: 'active', entity_id: 123 }),
    [`/api/v1/workflows/${GONE}`]: () => ({
      status: 404,
      body: { success: false, error: { code: 'WORKFLOW_NOT_FOUND', message: 'Workflow not found' } },
    }),
    [`/api/v1/workflows/${OTHER_ENTITY}`]: () =>
      ok({ workflow_id: OTHER_ENTITY, name: 'Elsewhere', status: 'active', entity_id: 999 }),
    [`/api/v1/workflows/${UNREACHABLE}`]: () => 'network',
  };
  const asked: string[] = [];
  const api = createApiClient({
    token: () => 't',
    fetch: async (input) => {
      asked.push(String(input));
      const answer = answers[String(input)]?.() ?? 'network';
      if (answer === 'network') throw new TypeError('fetch failed');
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    },
  });

  it("reads the entity's list, asks for the rest by id, and marks what the user cannot call", async () => {
    const names = await resolveCalledWorkflows(api, 123, [CHILD, FAR, GONE, OTHER_ENTITY, UNREACHABLE]);
    expect(Object.fromEntries(names)).toEqual({
      [CHILD]: { name: 'Child', status: 'active' },
      [FAR]: { name: 'Far', status: 'active' },
      [GONE]: 'missing',
      [OTHER_ENTITY]: 'missing',
    });
    expect(asked[0]).toBe('/api/v1/workflows?entity_id=123&per_page=100');
    expect(asked.slice(1).sort()).toEqual(
      [FAR, GONE, OTHER_ENTITY, UNREACHABLE].map((id) => `/api/v1/workflows/${id}`),
    );
  });

  it('asks nothing for a document that calls nothing', async () => {
    asked.length = 0;
    expect((await resolveCalledWorkflows(api, 123, [])).size).toBe(0);
    expect(asked).toEqual([]);
  });
});
