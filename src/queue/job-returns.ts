/**
 * @module queue/job-returns
 * The two ways a run gives its BullMQ job back without ending it, and what each does to the job:
 * handed back at shutdown (the job waits again at once, for any worker), or deferred because a
 * fair-share cap of this worker is full (the job waits a moment, uncounted as an attempt). Apart
 * from the queue because the runner throws them and the queue only translates them.
 */
import { DelayedError, type Job, WaitingError } from 'bullmq';

/** Thrown by a handler whose run was interrupted by shutdown: the job goes back to wait. */
export class ExecutionHandedBack extends Error {
  constructor(readonly executionId: string) {
    super(`execution ${executionId} handed back to the queue`);
    this.name = 'ExecutionHandedBack';
  }
}

/**
 * Thrown by a handler whose run may not start in this process now (a fair-share cap is full): the
 * job waits a moment, uncounted as an attempt, and any worker may take it then.
 */
export class ExecutionDeferred extends Error {
  constructor(readonly executionId: string) {
    super(`execution ${executionId} deferred: a concurrency cap of this worker is full`);
    this.name = 'ExecutionDeferred';
  }
}

/**
 * How long a deferred job waits before a worker looks at it again: this much more each time it
 * is deferred, up to DEFER_MAX_MS, so a long backlog costs few looks. A worker whose slot frees
 * calls a job it deferred back at once (`promote`), so the wait rarely runs out.
 */
const DEFER_STEP_MS = 250;
const DEFER_MAX_MS = 5000;

/**
 * Moves the job as `error` asks and throws BullMQ's matching signal; any other error is the job's
 * failure and is thrown on.
 */
export async function putBack(job: Job, token: string | undefined, error: unknown): Promise<never> {
  if (error instanceof ExecutionDeferred && token) {
    const wait = Math.min(DEFER_MAX_MS, DEFER_STEP_MS * Math.max(1, job.attemptsStarted));
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
  if (!(error instanceof ExecutionHandedBack) || !token) throw error;
  await job.moveToWait(token);
  throw new WaitingError();
}
