/**
 * @module runs/run-canvas
 * The version a run used, drawn read-only and painted by node state: completed, failed, skipped,
 * cancelled, running (animated), pending. The node the run failed on carries the error; one that
 * calls a workflow names it as the editor's card does (editor/called-workflow-line). Clicking a
 * node selects it for the detail panel. The dot grid is the editor's (editor/canvas-dots).
 */
import { type Edge, Handle, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo, useRef } from 'react';
import type { Connection, WorkflowNode } from '../api/types.ts';
import { CalledWorkflowLine } from '../editor/called-workflow-line.tsx';
import { CalledWorkflowsContext, useCalledWorkflowNames } from '../editor/called-workflows.ts';
import { CanvasDots } from '../editor/canvas-dots.tsx';
import { type PaintedNode, paintNodes } from './painted-nodes.ts';

const RunNode = memo(function RunNode({ data }: NodeProps<PaintedNode>) {
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
  // The nodes drawn last time: an unchanged one is handed to React Flow again as it was.
  const painted = useRef<ReadonlyMap<string, PaintedNode>>(new Map());
  const flowNodes = useMemo(() => {
    const list = paintNodes(
      nodes,
      (id) => ({ ...statusOf(id), isError: id === errorNodeId, selected: id === selected }),
      painted.current,
    );
    painted.current = new Map(list.map((node) => [node.id, node]));
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
