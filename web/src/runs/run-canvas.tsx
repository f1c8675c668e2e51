/**
 * @module runs/run-canvas
 * The version a run used, drawn read-only and painted by node state: completed, failed, skipped,
 * cancelled, running (animated), pending. The node the run failed on carries the error; one that
 * calls a workflow names it as the editor's card does (editor/called-workflow-line). Clicking a
 * node selects it for the detail panel. The dot grid is the editor's (editor/canvas-dots).
 */
import { type Edge, Handle, type Node, type NodeChange, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useMemo, useRef } from 'react';
import type { Connection, WorkflowNode } from '../api/types.ts';
import { CalledWorkflowLine } from '../editor/called-workflow-line.tsx';
import { CalledWorkflowsContext, useCalledWorkflowNames } from '../editor/called-workflows.ts';
import { CanvasDots } from '../editor/canvas-dots.tsx';

export interface PaintedNodeData extends Record<string, unknown> {
  readonly label: string;
  readonly node: WorkflowNode;
  readonly status: string;
  readonly runs: number;
  readonly isError: boolean;
  readonly selected: boolean;
}

const RunNode = memo(function RunNode({ data }: NodeProps<Node<PaintedNodeData>>) {
  const classes = ['run-node', `run-node-${data.status}`];
  if (data.isError) classes.push('run-node-error');
  if (data.selected) classes.push('run-node-selected');
  return (
    <div className={classes.join(' ')} data-status={data.status} data-testid={`run-node-${data.label}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="run-node-label">{data.label}</div>
      <div className="run-node-meta">
        <span className="run-node-type">{data.node.node_type}</span>
        <span className={`run-status run-status-${data.status}`}>{data.status}</span>
        {data.runs > 1 && <span className="run-node-runs">×{data.runs}</span>}
      </div>
      {data.node.node_type === 'action_workflow' && <CalledWorkflowLine node={data.node} />}
      {data.isError && <div className="run-node-error-text">error here</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { run: RunNode };

export interface RunCanvasProps {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
  /** The entity whose workflows the action_workflow nodes call; undefined while unknown. */
  readonly entityId: number | undefined;
  readonly statusOf: (nodeId: string) => { status: string; runs: number };
  readonly errorNodeId: string | null;
  readonly selected: string | null;
  onSelect(nodeId: string): void;
}

export function RunCanvas(props: RunCanvasProps) {
  const { nodes, connections, entityId, statusOf, errorNodeId, selected, onSelect } = props;
  const calledWorkflows = useCalledWorkflowNames(entityId, nodes);
  // Only a node whose paint changed is handed to React Flow as a new object: it keeps the others
  // as they are (measured, not drawn again), so a live event repaints the nodes it is about.
  const painted = useRef(new Map<string, Node<PaintedNodeData>>());
  // A changed node is a new object, and React Flow forgets its measured size and hides it until
  // the browser reports a size again, which it does not for an element it already observes whose
  // size stayed (a selected outline, a status word of the same width): its last size goes back.
  const sizes = useRef(new Map<string, { width: number; height: number }>());
  const onNodesChange = useCallback((changes: NodeChange<Node<PaintedNodeData>>[]) => {
    for (const change of changes)
      if (change.type === 'dimensions' && change.dimensions) sizes.current.set(change.id, change.dimensions);
  }, []);
  const flowNodes = useMemo<Node<PaintedNodeData>[]>(() => {
    const previous = painted.current;
    const next = new Map<string, Node<PaintedNodeData>>();
    const list = Object.entries(nodes).map(([id, node], index) => {
      const { status, runs } = statusOf(id);
      const isError = id === errorNodeId;
      const isSelected = id === selected;
      const position = node.position ?? { x: (index % 4) * 240, y: Math.floor(index / 4) * 140 };
      const before = previous.get(id);
      const same =
        before &&
        before.data.node === node &&
        before.data.status === status &&
        before.data.runs === runs &&
        before.data.isError === isError &&
        before.data.selected === isSelected &&
        before.position.x === position.x &&
        before.position.y === position.y;
      const drawn: Node<PaintedNodeData> = same
        ? before
        : {
            id,
            type: 'run',
            measured: sizes.current.get(id),
            position,
            data: { label: node.label || id, node, status, runs, isError, selected: isSelected },
            draggable: false,
            connectable: false,
            ariaLabel: `${node.label || id}: ${status}`,
          };
      next.set(id, drawn);
      return drawn;
    });
    painted.current = next;
    return list;
  }, [nodes, statusOf, errorNodeId, selected]);
  const edges = useMemo<Edge[]>(
    () =>
      connections.map((c, i) => ({
        id: c.connection_id ?? `e${i}`,
        source: c.from_node_id,
        target: c.to_node_id,
        label: c.from_port_name === 'output' ? undefined : c.from_port_name,
        animated: statusOf(c.to_node_id).status === 'running',
      })),
    [connections, statusOf],
  );
  return (
    <div className="run-canvas">
      <CalledWorkflowsContext value={calledWorkflows}>
        <ReactFlow
          nodes={flowNodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onNodesChange={onNodesChange}
          fitView
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          onNodeClick={(_, node) => onSelect(node.id)}
          proOptions={{ hideAttribution: true }}
          minZoom={0.2}
        >
          {/* The editor's dot layer: a pan moves it instead of painting the grid again. */}
          <CanvasDots />
        </ReactFlow>
      </CalledWorkflowsContext>
    </div>
  );
}
