/**
 * @module editor/workflow-canvas
 * The React Flow canvas over the editor store: nodes and edges projected from the document,
 * drags as one undo step, connections checked against the port rules while dragging, palette
 * drops, selection. Keys are the editor's (keymap), not React Flow's. The cards of nodes that call
 * a workflow read its name from the context this canvas provides (called-workflows).
 *
 * Speed at a few hundred nodes: a drag in progress lives here (node-moves), not in the store, so
 * one mouse move redraws the canvas and nothing else; every prop handed to React Flow keeps its
 * identity across renders, because React Flow copies some changed props into its own store (one
 * update, and one round of every node's and minimap node's selectors, per prop) and hands the
 * click handlers to every drawn node.
 */
import {
  Controls,
  type EdgeChange,
  type Connection as FlowConnection,
  type IsValidConnection,
  MiniMap,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { type DragEvent, type MouseEvent, useCallback, useMemo, useRef, useState } from 'react';
import { CalledWorkflowsContext, useCalledWorkflowNames } from './called-workflows.ts';
import { CanvasDots } from './canvas-dots.tsx';
import type { CanvasEdge, CanvasNode, NodeDecorations } from './canvas-model.ts';
import { createProjection } from './canvas-projection.ts';
import { type EditorStore, edit, select, shownDocument, useEditor } from './editor-store.ts';
import { NodeCard } from './node-card.tsx';
import type { Catalog } from './node-catalog.ts';
import { endDrag, type FoldedMoves, foldMoves, type PositionChange } from './node-moves.ts';
import { canConnect } from './port-rules.ts';
import { nodeIssues } from './validation-issues.ts';
import { connect, moveNodes, type Position, type WorkflowDocument } from './workflow-document.ts';

export const PALETTE_MIME = 'application/x-workflow-node-type';
const nodeTypes = { workflow: NodeCard };
const FIT_VIEW_OPTIONS = { maxZoom: 1, padding: 0.2 };
const minimapNodeClass = (node: CanvasNode) => `minimap-${node.data.info?.category}`;

export interface CanvasProps {
  readonly store: EditorStore;
  readonly catalog: Catalog;
  /** The entity whose workflows the action_workflow nodes call. */
  readonly entityId: number;
  readonly onAddNode: (nodeType: string, position: Position) => void;
  readonly onReady: (instance: ReactFlowInstance<CanvasNode, CanvasEdge>) => void;
  readonly onOpenNode: (id: string) => void;
}

export function WorkflowCanvas({ store, catalog, entityId, onAddNode, onReady, onOpenNode }: CanvasProps) {
  const stored = useEditor(store, shownDocument);
  const calledWorkflows = useCalledWorkflowNames(entityId, stored.nodes);
  const readOnly = useEditor(store, (s) => s.snapshot !== null);
  const selection = useEditor(store, (s) => s.selection);
  const selectedEdges = useEditor(store, (s) => s.selectedEdges);
  const validation = useEditor(store, (s) => (s.snapshot ? null : s.validation));
  const test = useEditor(store, (s) => (s.snapshot ? null : s.test));
  const pins = useEditor(store, (s) => s.pins);
  const projection = useMemo(createProjection, []);
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const [measuredVersion, setMeasuredVersion] = useState(0);
  // The drag in progress (positions by node id), shown on top of the stored document.
  const [dragPreview, setDragPreview] = useState<ReadonlyMap<string, Position> | null>(null);
  const dragging = useRef<ReadonlyMap<string, Position> | null>(null);
  const doc = useMemo(() => (dragPreview ? moveNodes(stored, dragPreview) : stored), [stored, dragPreview]);
  // The parent's handlers change on each of its renders; React Flow gets stable ones that call the latest.
  const handlers = useRef({ onOpenNode, onReady });
  handlers.current = { onOpenNode, onReady };
  const flow = useRef<ReactFlowInstance<CanvasNode, CanvasEdge> | null>(null);
  // Fit an existing workflow into view once; an empty one keeps the view put while nodes are added.
  const [fitOnOpen] = useState(() => Object.keys(shownDocument(store.get()).nodes).length > 0);
  // A large workflow opens on where it starts (its triggers and what follows), readable, rather
  // than all of it shrunk to dots; only what is in view is drawn.
  const [opening] = useState(() => openingView(shownDocument(store.get()), catalog, canvasSize()));

  // Built from validation, trace and pins only, so a drag (a new document per frame) keeps every
  // node's decorations, and with them its canvas object, as they were.
  const decorations = useMemo(() => {
    const map = new Map<string, NodeDecorations>();
    const trace = new Map((test?.trace ?? []).map((entry) => [entry.node_id, entry]));
    const ids = new Set([
      ...Object.keys(validation?.node_validation_errors ?? {}),
      ...trace.keys(),
      ...Object.keys(pins),
    ]);
    for (const id of ids) {
      const entry = trace.get(id);
      map.set(id, {
        issues: nodeIssues(validation, id),
        pinned: Object.hasOwn(pins, id),
        ...(entry ? { trace: { status: entry.status, duration_seconds: entry.duration_seconds } } : {}),
      });
    }
    return map;
  }, [validation, test, pins]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: measuredVersion re-projects after a size change
  const nodes = useMemo(
    () => projection.nodes(doc, catalog, decorations, selection, measured.current),
    [projection, doc, catalog, decorations, selection, measuredVersion],
  );
  // Keyed on the connections, not the document: a drag keeps the same edges array, so React Flow
  // does not rebuild its connection lookup every frame.
  const connections = doc.connections;
  const edges = useMemo(
    () => projection.edges({ nodes: {}, connections }, selectedEdges),
    [projection, connections, selectedEdges],
  );

  const applyMoves = useCallback(
    (moves: FoldedMoves) => {
      dragging.current = moves.preview;
      setDragPreview(moves.preview);
      const { commit } = moves;
      if (!commit) return;
      // A drag is one step; arrow-key nudges of the same nodes within a second join into one.
      const group = moves.dragged ? undefined : { group: `move:${[...commit.keys()].join(',')}` };
      edit(store, (d) => moveNodes(d, commit), group);
    },
    [store],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let sized = false;
      const positions: PositionChange[] = [];
      let selectionChanged = false;
      const nextSelection = new Set(store.get().selection);
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          const old = measured.current.get(change.id);
          if (old?.width !== change.dimensions.width || old?.height !== change.dimensions.height) {
            measured.current.set(change.id, change.dimensions);
            sized = true;
          }
        } else if (change.type === 'position' && change.position) {
          positions.push({ id: change.id, position: change.position, dragging: change.dragging });
        } else if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) nextSelection.add(change.id);
          else nextSelection.delete(change.id);
        }
      }
      if (sized) setMeasuredVersion((v) => v + 1);
      if (positions.length && !store.get().snapshot) applyMoves(foldMoves(dragging.current, positions));
      if (selectionChanged) store.set((s) => ({ ...s, selection: nextSelection }));
    },
    [store, applyMoves],
  );

  const onNodeDragStop = useCallback(() => {
    if (dragging.current) applyMoves(endDrag(dragging.current));
  }, [applyMoves]);
  const onNodeDoubleClick = useCallback(
    (_event: MouseEvent, node: CanvasNode) => handlers.current.onOpenNode(node.id),
    [],
  );
  const onNodeClick = useCallback((event: MouseEvent, node: CanvasNode) => {
    if (!event.ctrlKey && !event.metaKey && !event.shiftKey) handlers.current.onOpenNode(node.id);
  }, []);
  const onPaneClick = useCallback(() => select(store, []), [store]);
  const onInit = useCallback((instance: ReactFlowInstance<CanvasNode, CanvasEdge>) => {
    flow.current = instance;
    handlers.current.onReady(instance);
  }, []);

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const next = new Set(store.get().selectedEdges);
      let changed = false;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        changed = true;
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      if (changed) store.set((s) => ({ ...s, selectedEdges: next }));
    },
    [store],
  );

  const isValidConnection = useCallback<IsValidConnection<CanvasEdge>>(
    (link) => canConnect(store.get().history.present, catalog, link),
    [store, catalog],
  );

  const onConnect = useCallback(
    (link: FlowConnection) => {
      if (!canConnect(store.get().history.present, catalog, link)) return;
      edit(store, (d) =>
        connect(d, {
          from_node_id: link.source,
          from_port_name: link.sourceHandle ?? 'output',
          to_node_id: link.target,
          to_port_name: link.targetHandle ?? 'input',
        }),
      );
    },
    [store, catalog],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const nodeType = event.dataTransfer.getData(PALETTE_MIME);
      if (!nodeType || !flow.current) return;
      event.preventDefault();
      const at = flow.current.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onAddNode(nodeType, { x: Math.round(at.x - 100), y: Math.round(at.y - 30) });
    },
    [onAddNode],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags (the keyboard adds with Enter)
    <div className="canvas" onDrop={onDrop} onDragOver={(event) => event.preventDefault()}>
      <CalledWorkflowsContext value={calledWorkflows}>
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onNodeDragStop={onNodeDragStop}
          onNodeDoubleClick={onNodeDoubleClick}
          onNodeClick={onNodeClick}
          onPaneClick={onPaneClick}
          onInit={onInit}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          elementsSelectable
          onlyRenderVisibleElements
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          selectionOnDrag={false}
          minZoom={0.1}
          maxZoom={2}
          fitView={fitOnOpen && !opening}
          {...(opening ? { defaultViewport: opening } : {})}
          fitViewOptions={FIT_VIEW_OPTIONS}
        >
          <CanvasDots />
          <MiniMap<CanvasNode> pannable zoomable ariaLabel="Minimap" nodeClassName={minimapNodeClass} />
          <Controls aria-label="Zoom and fit" showInteractive={false} />
        </ReactFlow>
      </CalledWorkflowsContext>
    </div>
  );
}

const OPENING_VIEW_LIMIT = 60;
const CARD = { width: 200, height: 90 };

/** The canvas area before it is laid out: the window less the header, toolbar, palette and panel. */
function canvasSize() {
  return { width: Math.max(300, window.innerWidth - 570), height: Math.max(200, window.innerHeight - 120) };
}

/**
 * For a workflow over the limit: a viewport on its triggers and the first nodes after them
 * (breadth first), at a readable zoom; undefined for smaller ones (they fit whole).
 */
export function openingView(
  doc: WorkflowDocument,
  catalog: Catalog,
  size: { width: number; height: number },
): { x: number; y: number; zoom: number } | undefined {
  const ids = Object.keys(doc.nodes);
  if (ids.length <= OPENING_VIEW_LIMIT) return undefined;
  const next = new Map<string, string[]>();
  for (const c of doc.connections) next.set(c.from_node_id, [...(next.get(c.from_node_id) ?? []), c.to_node_id]);
  const queue = ids.filter((id) => catalog.get(doc.nodes[id].node_type)?.category === 'trigger');
  if (queue.length === 0) queue.push(ids[0]);
  const seen = new Set<string>();
  while (queue.length && seen.size < OPENING_VIEW_LIMIT / 3) {
    const id = queue.shift() as string;
    if (seen.has(id) || !doc.nodes[id]) continue;
    seen.add(id);
    queue.push(...(next.get(id) ?? []));
  }
  const positions = [...seen].map((id) => doc.nodes[id].position ?? { x: 0, y: 0 });
  const left = Math.min(...positions.map((p) => p.x));
  const top = Math.min(...positions.map((p) => p.y));
  const width = Math.max(...positions.map((p) => p.x)) + CARD.width - left;
  const height = Math.max(...positions.map((p) => p.y)) + CARD.height - top;
  const zoom = Math.min(1, Math.max(0.5, 0.9 * Math.min(size.width / width, size.height / height)));
  // From the top left corner of where the flow starts (the rest of a large workflow follows).
  return { x: Math.round(40 - left * zoom), y: Math.round(40 - top * zoom), zoom };
}
