/**
 * @module engine/state
 * The walk state as data, so a checkpoint can copy it and a resume can rebuild it:
 * - a Token is "run this node with this input";
 * - a Lane is a sequential stack of tokens (depth-first, connection order); flow_parallel gives
 *   each of its branches a child lane, and the parent lane waits for the group;
 * - a Frame is one walk context with its own joins and skip bookkeeping: the execution's root
 *   frame, or one loop iteration;
 * - a LoopState belongs to the lane that reached the loop node and owns the current iteration frame.
 */
import type { ControlResult } from '../nodes/node-type.ts';

/** What a node run yields for the flow: its output, the ports that send tokens, control for the engine. */
export interface RunOutcome {
  readonly output: unknown;
  readonly ports: readonly string[];
  readonly control?: ControlResult;
}

export interface Token {
  readonly node: string;
  readonly input: unknown;
  readonly from: string | null;
}

export interface GroupSub {
  readonly kind: 'group';
  /** The flow_parallel node. */
  readonly node: string;
  readonly lanes: Lane[];
  /** performance.now() time the branches must finish by. */
  readonly deadline: number;
  readonly timeoutMs: number;
}

export interface LoopSub {
  readonly kind: 'loop';
  readonly loop: LoopState;
}

export interface Lane {
  readonly id: number;
  readonly parent: Lane | null;
  readonly depth: number;
  readonly frame: Frame;
  readonly stack: Token[];
  inflight: Token | null;
  sub: GroupSub | LoopSub | null;
}

export interface SavedVariable {
  readonly present: boolean;
  readonly value: unknown;
}

export interface LoopState {
  readonly node: string;
  readonly kind: 'foreach' | 'while';
  readonly lane: Lane;
  readonly items: readonly unknown[] | null;
  readonly itemVariable: string;
  readonly indexVariable: string;
  /** Effective cap (own max_iterations capped by MAX_LOOP_ITERATIONS). */
  readonly maxIterations: number;
  /** Input of the loop node's run: a while loop re-evaluates with it. */
  readonly input: unknown;
  /** Latest output of the loop node: what `done` carries. */
  output: unknown;
  /** Iterations started so far. */
  iteration: number;
  /** While loops: the condition must be evaluated again before the next iteration. */
  needsEval: boolean;
  broken: boolean;
  readonly savedItem: SavedVariable;
  readonly savedIndex: SavedVariable;
  /** Loop nodes of this loop and every enclosing one: a token reaching one ends its branch. */
  readonly activeLoops: ReadonlySet<string>;
  frame: Frame | null;
}

export interface JoinState {
  readonly node: string;
  readonly arrived: Map<number, 'live' | 'dead'>;
  readonly inputs: Record<string, unknown>;
  live: number;
  fired: boolean;
  /** Lowest common ancestor of the lanes its live tokens came from: where it continues. */
  lane: Lane | null;
}

export interface Frame {
  readonly id: number;
  readonly loop: LoopState | null;
  readonly depth: number;
  readonly activeLoops: ReadonlySet<string>;
  root: Lane;
  /** Lanes not finished yet (the root lane always counts). */
  readonly lanes: Set<Lane>;
  /** Nodes that ran or were skipped in this frame: a skip wave stops there. */
  readonly touched: Set<string>;
  readonly joins: Map<string, JoinState>;
  /** Skip signals held back because a pending token could still reach their target. */
  readonly deferredSkips: number[];
}
