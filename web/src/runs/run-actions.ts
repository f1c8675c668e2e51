/**
 * @module runs/run-actions
 * Rerun and delete of one run, one piece of code for the run page and the runs list: which of
 * them a run offers, the question asked before a delete (in the app's dialog: delete-run-dialog),
 * the request, and its outcome (the new run, gone, kept, or the API's refusal with its code and
 * message). Each caller decides where an outcome leads (the page navigates; the list stays and
 * updates).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiError } from '../api/client.ts';
import { deleteExecution, type RerunAnswer, rerunExecution } from '../api/reuse-api.ts';
import { createPendingQuestion } from '../shell/pending-question.ts';
import { useSession } from '../shell/session-context.tsx';
import { UNFINISHED } from './status-badge.tsx';
import { asApiError } from './use-load.ts';

/** What both callers know of a run: the page's full record and a list row alike. */
export interface RunRef {
  readonly execution_id: string;
  readonly status: string;
  readonly test_mode: boolean;
}

export type RunAction = 'rerun' | 'delete';

export type RunActionOutcome =
  | { readonly kind: 'rerun'; readonly run: RunRef; readonly started: RerunAnswer }
  | { readonly kind: 'deleted'; readonly run: RunRef }
  | { readonly kind: 'kept'; readonly run: RunRef }
  | { readonly kind: 'refused'; readonly run: RunRef; readonly action: RunAction; readonly error: ApiError };

export type Refusal = Extract<RunActionOutcome, { kind: 'refused' }>;

export const shortId = (executionId: string) => executionId.slice(0, 8);

/** A test run is the editor's; running it again belongs there (the server would make it an API run). */
export const offersRerun = (run: RunRef) => !run.test_mode;

/** The server refuses to delete a queued or running run (400: cancel it first); say so up front. */
export const offersDelete = (run: RunRef) => !UNFINISHED.has(run.status);

export const deleteQuestion = (run: RunRef) =>
  `Delete run ${shortId(run.execution_id)} (${run.status}) and its record (node data, outbox, logs)? This cannot be undone.`;

export const refusalTitle = (refusal: Refusal) =>
  refusal.action === 'rerun'
    ? `Run ${shortId(refusal.run.execution_id)} was not rerun`
    : `Run ${shortId(refusal.run.execution_id)} was not deleted`;

export async function rerunRun(api: ApiClient, run: RunRef): Promise<RunActionOutcome> {
  try {
    return { kind: 'rerun', run, started: await rerunExecution(api, run.execution_id) };
  } catch (error) {
    return { kind: 'refused', run, action: 'rerun', error: asApiError(error) };
  }
}

/** Asks first; nothing is sent when the answer is no. `sending` is told when the request goes out. */
export async function deleteRun(
  api: ApiClient,
  run: RunRef,
  confirm: (question: string) => boolean | Promise<boolean>,
  sending?: () => void,
): Promise<RunActionOutcome> {
  if (!(await confirm(deleteQuestion(run)))) return { kind: 'kept', run };
  sending?.();
  try {
    await deleteExecution(api, run.execution_id);
    return { kind: 'deleted', run };
  } catch (error) {
    return { kind: 'refused', run, action: 'delete', error: asApiError(error) };
  }
}

export interface RunActions {
  /** The run an action is under way for (its buttons wait); not while the delete question is open. */
  readonly busy: string | null;
  /** The run whose delete is being asked about: the caller shows the dialog while it is set. */
  readonly asking: RunRef | null;
  /** The dialog's answer to the delete question. */
  answer(yes: boolean): void;
  /** The last refusal, until the next action. */
  readonly refusal: Refusal | null;
  rerun(run: RunRef): Promise<void>;
  remove(run: RunRef): Promise<void>;
}

export function useRunActions(onOutcome: (outcome: RunActionOutcome) => void): RunActions {
  const { api } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [asking, setAsking] = useState<RunRef | null>(null);
  const [question] = useState(() => createPendingQuestion<RunRef>(setAsking));
  // A page left with the question open answers it no.
  useEffect(() => () => question.answer(false), [question]);
  const latest = useRef(onOutcome);
  latest.current = onOutcome;
  // Busy from when the request goes out: the Delete button keeps its focus while the question is
  // open, so the dialog gives it back on Cancel.
  const act = useCallback(async (run: RunRef, work: (sending: () => void) => Promise<RunActionOutcome>) => {
    setRefusal(null);
    const outcome = await work(() => setBusy(run.execution_id));
    setBusy(null);
    if (outcome.kind === 'refused') setRefusal(outcome);
    latest.current(outcome);
  }, []);
  const rerun = useCallback(
    (run: RunRef) =>
      act(run, (sending) => {
        sending();
        return rerunRun(api, run);
      }),
    [act, api],
  );
  const remove = useCallback(
    (run: RunRef) => act(run, (sending) => deleteRun(api, run, () => question.ask(run), sending)),
    [act, api, question],
  );
  return { busy, asking, answer: question.answer, refusal, rerun, remove };
}
