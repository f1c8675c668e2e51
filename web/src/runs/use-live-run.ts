/**
 * @module runs/use-live-run
 * The run page's data: the stored execution, and while it is queued or running the live stream
 * folded on top (node states, timeline), with the record read again now and then (outbox,
 * node data) and once more at the end (the stored timeline replaces the live one).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { type Execution, getExecution } from '../api/runs-api.ts';
import { storedToken } from '../shell/session.ts';
import { useSession } from '../shell/session-context.tsx';
import { applyLiveEvent, EMPTY_LIVE, type LiveRun } from './live-run.ts';
import { openLiveStream } from './live-stream.ts';
import { UNFINISHED } from './status-badge.tsx';
import { asApiError } from './use-load.ts';

const REFRESH_MS = 1000;
const RETRY_MS = 2000;

export interface RunData {
  readonly execution: Execution | undefined;
  readonly live: LiveRun;
  readonly error: ApiError | null;
  readonly streamError: ApiError | null;
  readonly reconnecting: boolean;
  reload(): void;
}

export function useLiveRun(executionId: string): RunData {
  const { api, token } = useSession();
  const [execution, setExecution] = useState<Execution>();
  const [error, setError] = useState<ApiError | null>(null);
  const [streamError, setStreamError] = useState<ApiError | null>(null);
  const [live, setLive] = useState<LiveRun>(EMPTY_LIVE);
  const [reconnecting, setReconnecting] = useState(false);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(() => {
    getExecution(api, executionId).then(
      (value) => {
        shown.current = true;
        setExecution(value);
        setError(null);
      },
      (failure: unknown) => {
        const refused = asApiError(failure);
        // A network blip while the run is on screen keeps what the page shows (the stream says it
        // is reconnecting) and reads again until the server answers; a refusal is shown.
        if (shown.current && refused.status === 0) {
          retryTimer.current ??= setTimeout(() => {
            retryTimer.current = null;
            reload();
          }, RETRY_MS);
          return;
        }
        setError(refused);
      },
    );
  }, [api, executionId]);

  useEffect(() => {
    shown.current = false;
    reload();
    return () => {
      if (retryTimer.current) clearTimeout(retryTimer.current);
      retryTimer.current = null;
    };
  }, [reload]);

  const unfinished = execution ? UNFINISHED.has(execution.status) : false;
  const startIso = execution?.start_time ?? execution?.queued_at;

  useEffect(() => {
    if (!unfinished || !startIso || !token) return;
    const startMs = Date.parse(startIso);
    const soon = () => {
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = null;
        reload();
      }, REFRESH_MS);
    };
    const close = openLiveStream(
      {
        url: `/api/v1/workflows/executions/${executionId}/events`,
        token: storedToken,
        // The API client's answer to a 401 marks the session expired and asks for a new token.
        onUnauthorized: reload,
      },
      {
        onOpen() {
          setReconnecting(false);
          setStreamError(null);
          setLive(EMPTY_LIVE);
        },
        onEvent(event, final) {
          setLive((state) => applyLiveEvent(state, event, final, startMs));
          if (final) reload();
          else if (event.status !== 'running') soon();
        },
        onError: setStreamError,
        onRetry: () => setReconnecting(true),
      },
    );
    return () => {
      close();
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = null;
    };
  }, [unfinished, startIso, executionId, token, reload]);

  return { execution, live, error, streamError, reconnecting, reload };
}
