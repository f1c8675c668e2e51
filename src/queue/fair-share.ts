/**
 * @module queue/fair-share
 * Who may start next in one process, so that no tenant starves the others: at most
 * `concurrency` runs at once, at most `entityConcurrency` of one entity, and at most a
 * workflow's own `maxParallel` (its `settings.max_parallel_executions`) of one workflow.
 * Waiting runs are held as ids with these keys only (never their payloads), in one line per
 * workflow; each line starts in arrival order, and among the lines that may start, the one whose
 * first run came earliest goes first. Urgent runs (an interactive `/test` someone waits on) go
 * before queued ones but stay within the process and entity caps.
 * Pure bookkeeping: no I/O, no timers; the queues around it start what it hands out.
 */

/** What decides whether a run may start. */
export interface ShareKeys {
  /** Null: a run no workflow cap holds or counts (test runs). */
  readonly workflowId: string | null;
  readonly entityId: number | null;
  /** The workflow's cap; undefined: none. */
  readonly maxParallel?: number | undefined;
}

export interface FairShareLimits {
  readonly concurrency: number;
  readonly entityConcurrency: number;
}

interface Waiting<T> {
  readonly item: T;
  readonly keys: ShareKeys;
  readonly seq: number;
}

interface Line<T> {
  readonly size: number;
  first(): T | undefined;
  push(item: T): void;
  shift(): T | undefined;
}

/** A FIFO that drops what it handed out in chunks (no O(n) shift per take). */
function createLine<T>(): Line<T> {
  let items: T[] = [];
  let head = 0;
  return {
    get size() {
      return items.length - head;
    },
    first: () => items[head],
    push(item) {
      items.push(item);
    },
    shift() {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head++] = undefined as T;
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
  };
}

export interface FairShare<T> {
  /** Holds `item` until `take` hands it out. */
  add(item: T, keys: ShareKeys, urgent?: boolean): void;
  /** The next waiting item that may start now, counted as running; undefined when none may. */
  take(urgentOnly?: boolean): { readonly item: T; readonly keys: ShareKeys } | undefined;
  /** Counts a run that arrived from elsewhere (a shared queue) as running, when every cap allows it now. */
  tryStart(keys: ShareKeys): boolean;
  /** Whether every cap would let a run with these keys start now (nothing is counted). */
  fits(keys: ShareKeys): boolean;
  /** A run handed out by `take` or `tryStart` ended. */
  end(keys: ShareKeys): void;
  waiting(): number;
  running(): number;
}

const entityKey = (keys: ShareKeys) => String(keys.entityId);

export function createFairShare<T>(limits: FairShareLimits): FairShare<T> {
  const lines = new Map<string, Line<Waiting<T>>>();
  /** Few and short (test mode makes no waits), so a plain array scanned in order. */
  const urgent: Waiting<T>[] = [];
  const byEntity = new Map<string, number>();
  const byWorkflow = new Map<string, number>();
  let running = 0;
  let waiting = 0;
  let seq = 0;

  function mayStart(keys: ShareKeys): boolean {
    if (running >= limits.concurrency) return false;
    if ((byEntity.get(entityKey(keys)) ?? 0) >= limits.entityConcurrency) return false;
    if (keys.maxParallel === undefined || keys.workflowId === null) return true;
    return (byWorkflow.get(keys.workflowId) ?? 0) < keys.maxParallel;
  }

  function count(keys: ShareKeys, by: 1 | -1): void {
    running += by;
    const entity = entityKey(keys);
    const entityRuns = (byEntity.get(entity) ?? 0) + by;
    if (entityRuns > 0) byEntity.set(entity, entityRuns);
    else byEntity.delete(entity);
    if (keys.workflowId === null) return;
    const workflowRuns = (byWorkflow.get(keys.workflowId) ?? 0) + by;
    if (workflowRuns > 0) byWorkflow.set(keys.workflowId, workflowRuns);
    else byWorkflow.delete(keys.workflowId);
  }

  function handOut(next: Waiting<T>) {
    waiting--;
    count(next.keys, 1);
    return { item: next.item, keys: next.keys };
  }

  return {
    add(item, keys, isUrgent = false) {
      const entry = { item, keys, seq: seq++ };
      waiting++;
      if (isUrgent) {
        urgent.push(entry);
        return;
      }
      const key = keys.workflowId ?? '';
      let line = lines.get(key);
      if (!line) {
        line = createLine();
        lines.set(key, line);
      }
      line.push(entry);
    },
    take(urgentOnly = false) {
      if (running >= limits.concurrency) return undefined;
      const fits = urgent.findIndex((entry) => mayStart(entry.keys));
      if (fits >= 0) return handOut(urgent.splice(fits, 1)[0] as Waiting<T>);
      if (urgentOnly) return undefined;
      let best: { key: string; line: Line<Waiting<T>>; seq: number } | undefined;
      for (const [key, line] of lines) {
        const head = line.first() as Waiting<T>;
        if ((!best || head.seq < best.seq) && mayStart(head.keys)) best = { key, line, seq: head.seq };
      }
      if (!best) return undefined;
      const next = best.line.shift() as Waiting<T>;
      if (best.line.size === 0) lines.delete(best.key);
      return handOut(next);
    },
    tryStart(keys) {
      // A run waiting here for the same workflow came first.
      if (lines.has(keys.workflowId ?? '') || !mayStart(keys)) return false;
      count(keys, 1);
      return true;
    },
    fits: mayStart,
    end(keys) {
      count(keys, -1);
    },
    waiting: () => waiting,
    running: () => running,
  };
}
