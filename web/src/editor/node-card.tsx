/**
 * @module editor/node-card
 * One node on the canvas: category colour and glyph, label and type, one handle per port (named;
 * output names beside their handles), the name of the workflow an action_workflow node calls, and
 * badges for validation errors, a test run's status and duration, and a pinned output.
 */
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { CalledWorkflowLine } from './called-workflow-line.tsx';
import type { CanvasNode } from './canvas-model.ts';
import { CATEGORY_GLYPHS } from './node-catalog.ts';

function NodeCardView({ id, data }: NodeProps<CanvasNode>) {
  const { node, info, inputs, outputs, decorations } = data;
  const category = info?.category ?? 'unknown';
  const issues = decorations.issues ?? [];
  const trace = decorations.trace;
  return (
    <div className={`node-card category-${category}${node.enabled === false ? ' disabled' : ''}`}>
      {inputs.map((port) => (
        <Handle
          key={port}
          type="target"
          position={Position.Left}
          id={port}
          className="port port-in"
          title={`${port} (input)`}
        />
      ))}
      <div className="node-head">
        <span className="node-glyph" aria-hidden="true">
          {CATEGORY_GLYPHS[category] ?? '•'}
        </span>
        <span className="node-label">{node.label || id}</span>
      </div>
      <div className="node-type">
        {node.node_type}
        {node.enabled === false && <span className="node-off"> · disabled</span>}
      </div>
      {node.node_type === 'action_workflow' && <CalledWorkflowLine node={node} />}
      <div className="node-badges">
        {issues.length > 0 && (
          <span className="badge badge-error" title={issues.join('\n')}>
            {issues.length} {issues.length === 1 ? 'error' : 'errors'}
          </span>
        )}
        {trace && (
          <span className={`badge badge-${trace.status}`} data-testid="trace-status">
            {trace.status}
            {trace.status !== 'skipped' && trace.duration_seconds != null
              ? ` ${formatSeconds(trace.duration_seconds)}`
              : ''}
          </span>
        )}
        {decorations.pinned && (
          <span className="badge badge-pin" title="A pinned output replaces this node in test runs">
            ⊙ pinned
          </span>
        )}
      </div>
      {outputs.length > 0 && (
        <div className="node-outputs">
          {outputs.map((port) => (
            <div className="node-output" key={port}>
              <span className="port-name">{port}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className="port port-out"
                title={`${port} (output)`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

export const NodeCard = memo(NodeCardView);
