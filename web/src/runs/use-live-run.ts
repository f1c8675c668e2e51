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
import { createRunReader, type RunReader } from './run-reader.ts';
import { UNFINISHED } from './status-badge.tsx';

/** How soon after a node's end the record is read again (its outbox and node data). */
const REFRESH_MS = 1000;

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
  // The reader of this execution with this session; a new one replaces it, closed.
  const reader = useRef<RunReader | null>(null);
  const shownId = useRef<string | null>(null);

  useEffect(() => {
    const own = createRunReader(
      () => getExecution(api, executionId),
      {
        loaded(value) {
          shownId.current = executionId;
          setExecution(value);
          setError(null);
        },
        failed: setError,
      },
      shownId.current === executionId,
    );
    reader.current = own;
    own.reload();
    return () => {
      own.close();
      if (reader.current === own) reader.current = null;
    };
  }, [api, executionId]);

  const reload = useCallback(() => reader.current?.reload(), []);

  const unfinished = execution ? UNFINISHED.has(execution.status) : false;
  const startIso = execution?.start_time ?? execution?.queued_at;

  useEffect(() => {
    if (!unfinished || !startIso || !token) return;
    const startMs = Date.parse(startIso);
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
          else if (event.status !== 'running') reader.current?.soon(REFRESH_MS);
        },
        onError: setStreamError,
        onRetry: () => setReconnecting(true),
      },
    );
    return close;
  }, [unfinished, startIso, executionId, token, reload]);

  return { execution, live, error, streamError, reconnecting, reload };
}
