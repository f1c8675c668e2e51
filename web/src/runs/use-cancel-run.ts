/**
 * @module runs/use-cancel-run
 * Cancelling the run the page shows: while the request is out, and the API's refusal if any;
 * the record is read again once it is accepted.
 */
import { useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { cancelExecution } from '../api/runs-api.ts';
import { useSession } from '../shell/session-context.tsx';
import { asApiError } from './use-load.ts';

export interface CancelRun {
  readonly cancelling: boolean;
  readonly error: ApiError | null;
  cancel(): Promise<void>;
}

export function useCancelRun(executionId: string, reload: () => void): CancelRun {
  const { api } = useSession();
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function cancel() {
    setCancelling(true);
    try {
      await cancelExecution(api, executionId);
      setError(null);
      reload();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setCancelling(false);
    }
  }
  return { cancelling, error, cancel };
}
