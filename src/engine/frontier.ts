/**
 * @module engine/frontier
 * Creating frames and lanes and placing tokens on them. Stacks hold tokens bottom first, so
 * pushing a node's successors in reverse connection order makes the lane run them depth-first in
 * connection order (PRODUCT.md: fan-out is sequential in connection order).
 */
import type { Frame, Lane, LoopState, Token } from './state.ts';

export interface IdSource {
  nextId: number;
}

const NO_LOOPS: ReadonlySet<string> = new Set();

export function createLane(ids: IdSource, frame: Frame, parent: Lane | null, id?: number): Lane {
  const lane: Lane = {
    id: id ?? ids.nextId++,
    parent,
    depth: parent ? parent.depth + 1 : 0,
    frame,
    stack: [],
    inflight: null,
    sub: null,
  };
  frame.lanes.add(lane);
  return lane;
}

/** A frame with its root lane: the execution's (loop null) or one iteration of `loop`. */
export function createFrame(ids: IdSource, loop: LoopState | null, depth: number, id?: number, rootId?: number): Frame {
  const frame = {
    id: id ?? ids.nextId++,
    loop,
    depth,
    activeLoops: loop ? loop.activeLoops : NO_LOOPS,
    lanes: new Set<Lane>(),
    touched: new Set<string>(),
    joins: new Map(),
    deferredSkips: [],
  } as unknown as Frame;
  frame.root = createLane(ids, frame, null, rootId);
  return frame;
}

/** Pushes tokens so that the first one given is the next one popped. */
export function pushInOrder(lane: Lane, tokens: readonly Token[]): void {
  for (let i = tokens.length - 1; i >= 0; i--) lane.stack.push(tokens[i]);
}

export function lowestCommonLane(a: Lane | null, b: Lane): Lane {
  if (a === null || a === b) return b;
  let x: Lane = a;
  let y: Lane = b;
  while (x.depth > y.depth) x = x.parent as Lane;
  while (y.depth > x.depth) y = y.parent as Lane;
  while (x !== y) {
    x = x.parent as Lane;
    y = y.parent as Lane;
  }
  return x;
}

/** `lane` if still running, else its nearest running ancestor (the frame root at worst). */
export function aliveLane(lane: Lane): Lane {
  let current: Lane | null = lane;
  while (current && !current.frame.lanes.has(current)) current = current.parent;
  return current ?? lane.frame.root;
}

/** True when no lane of the frame should take another token (a break ended its loop). */
export function frameHalted(frame: Frame): boolean {
  return frame.loop?.broken === true;
}
