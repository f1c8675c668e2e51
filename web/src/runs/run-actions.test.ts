import { describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client.ts';
import { deleteQuestion, deleteRun, offersDelete, offersRerun, refusalTitle, rerunRun } from './run-actions.ts';

const RUN_ID = '0b5e2c1a-7d4f-4e3b-9a8c-1f2e3d4c5b6a';
const NEW_ID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const finished = { execution_id: RUN_ID, status: 'completed', test_mode: false };

/** The real client over a recording fetch that answers as the server does. */
function server(answer: (method: string, path: string) => { status: number; body: unknown }) {
  const calls: string[] = [];
  const api = createApiClient({
    token: () => 't',
    fetch: async (input, init) => {
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${String(input)}`);
      const { status, body } = answer(method, String(input));
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
  });
  return { api, calls };
}

/** The server's error envelope, as it answers a refused action. */
const refusing = (status: number, code: string, message: string) => () => ({
  status,
  body: { success: false, error: { code, message } },
});

describe('what a run offers', () => {
  it('offers rerun except for test runs, and delete only once the run has ended', () => {
    expect(offersRerun(finished)).toBe(true);
    expect(offersRerun({ ...finished, test_mode: true })).toBe(false);
    for (const status of ['completed', 'failed', 'cancelled']) expect(offersDelete({ ...finished, status })).toBe(true);
    for (const status of ['queued', 'running']) expect(offersDelete({ ...finished, status })).toBe(false);
  });

  it('names the run and its status in the delete question', () => {
    expect(deleteQuestion(finished)).toBe(
      'Delete run 0b5e2c1a (completed) and its record (node data, outbox, logs)? This cannot be undone.',
    );
  });
});

describe('rerun', () => {
  it('answers the new run', async () => {
    const { api, calls } = server(() => ({
      status: 202,
      body: { success: true, data: { execution_id: NEW_ID, workflow_id: 'w', status: 'queued', rerun_of: RUN_ID } },
    }));
    const outcome = await rerunRun(api, finished);
    expect(calls).toEqual([`POST /api/v1/workflows/executions/${RUN_ID}/rerun`]);
    expect(outcome).toMatchObject({ kind: 'rerun', started: { execution_id: NEW_ID, rerun_of: RUN_ID } });
  });

  it('answers a refusal with the API code and message', async () => {
    const { api } = server(refusing(403, 'PERMISSION_DENIED', 'Permission can_execute is required on this workflow'));
    const outcome = await rerunRun(api, finished);
    if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
    expect([outcome.action, outcome.error.status, outcome.error.code, outcome.error.message]).toEqual([
      'rerun',
      403,
      'PERMISSION_DENIED',
      'Permission can_execute is required on this workflow',
    ]);
    expect(refusalTitle(outcome)).toBe('Run 0b5e2c1a was not rerun');
  });
});

describe('delete', () => {
  const deletedAnswer = () => ({
    status: 200,
    body: { success: true, data: { execution_id: RUN_ID, deleted: true } },
  });

  it('sends nothing when the question is answered no', async () => {
    const { api, calls } = server(deletedAnswer);
    const asked: string[] = [];
    const outcome = await deleteRun(api, finished, (question) => {
      asked.push(question);
      return false;
    });
    expect(outcome.kind).toBe('kept');
    expect(asked).toEqual([deleteQuestion(finished)]);
    expect(calls).toEqual([]);
  });

  it('deletes when the question is answered yes', async () => {
    const { api, calls } = server(deletedAnswer);
    expect((await deleteRun(api, finished, () => true)).kind).toBe('deleted');
    expect(calls).toEqual([`DELETE /api/v1/workflows/executions/${RUN_ID}`]);
  });

  it('waits for the dialog, and tells it is sending only once the answer is yes', async () => {
    const { api, calls } = server(deletedAnswer);
    const sent: number[] = [];
    const dialog = () => {
      let answer: (yes: boolean) => void = () => {};
      const asked = new Promise<boolean>((resolve) => {
        answer = resolve;
      });
      return { asked, answer: (yes: boolean) => answer(yes) };
    };
    const no = dialog();
    const kept = deleteRun(
      api,
      finished,
      () => no.asked,
      () => sent.push(calls.length),
    );
    no.answer(false);
    expect((await kept).kind).toBe('kept');
    expect([sent, calls]).toEqual([[], []]);

    const yes = dialog();
    const deleted = deleteRun(
      api,
      finished,
      () => yes.asked,
      () => sent.push(calls.length),
    );
    await Promise.resolve();
    expect([sent, calls]).toEqual([[], []]);
    yes.answer(true);
    expect((await deleted).kind).toBe('deleted');
    expect(sent).toEqual([0]);
    expect(calls).toEqual([`DELETE /api/v1/workflows/executions/${RUN_ID}`]);
  });

  it('answers the server refusing a run that is still running', async () => {
    const { api } = server(refusing(400, 'BAD_REQUEST', 'Execution is running; cancel it before deleting it'));
    const outcome = await deleteRun(api, { ...finished, status: 'running' }, () => true);
    if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
    expect([outcome.action, outcome.error.code, outcome.error.message]).toEqual([
      'delete',
      'BAD_REQUEST',
      'Execution is running; cancel it before deleting it',
    ]);
    expect(refusalTitle(outcome)).toBe('Run 0b5e2c1a was not deleted');
  });
});
