/**
 * A 10,000-item loop_foreach and a node output of 5 MiB finish with bounded memory: stored node
 * data is truncated with a marker, the stored row stays small, and RSS growth is reported.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';

type Envelope = { data: Record<string, unknown> };

describe('large runs', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    // The 5 MiB value is built by an expression: its result cap is raised so the store's caps are what is tested.
    t = await createTestApp({
      MAX_LOOP_ITERATIONS: '20000',
      MAX_TOTAL_OPERATIONS: '100000',
      WORKFLOW_TIMEOUT: '120',
      EXPRESSION_RESULT_LIMIT_BYTES: String(16 * 1024 * 1024),
    });
    token = await t.token({ userId: 'big', entities: [1] });
  });
  after(() => t.close());

  it('a 10,000-item foreach and a 5 MiB output complete; stored data is capped', async () => {
    const definition = {
      name: 'Large',
      entity_id: 1,
      nodes: {
        start: { node_type: 'trigger_manual' },
        make: {
          node_type: 'data_transform',
          config: { transformations: { items: '[1..10000]', big: "$join([1..5243].$pad('', 1000, 'x'))" } },
        },
        each: { node_type: 'loop_foreach', config: { array_variable: 'items', max_iterations: 10000 } },
        body: { node_type: 'data_variable_set', config: { variables: { last: '{{ item }}' } } },
        echo: { node_type: 'data_variable_get', config: { variable_name: 'big', output_variable: 'copy' } },
      },
      connections: [
        { from_node_id: 'start', from_port_name: 'output', to_node_id: 'make', to_port_name: 'input' },
        { from_node_id: 'make', from_port_name: 'output', to_node_id: 'each', to_port_name: 'input' },
        { from_node_id: 'each', from_port_name: 'loop', to_node_id: 'body', to_port_name: 'input' },
        { from_node_id: 'each', from_port_name: 'done', to_node_id: 'echo', to_port_name: 'input' },
      ],
    };
    const created = json<Envelope>(
      await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: definition }),
    );
    const id = created.data.workflow_id as string;
    assert.equal((await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token })).statusCode, 200);

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/execute`,
      token,
      payload: { wait_for_completion: true, timeout_seconds: 120 },
    });
    const rssAfter = process.memoryUsage().rss;
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    const run = json<Envelope>(response).data;
    assert.equal(run.status, 'completed', String(run.error_message));
    const states = run.node_states as Record<string, { runs?: number; output_data: unknown }>;
    assert.equal(states.body.runs, 10000, 'the body ran once per item, kept as one aggregated state');
    assert.equal((run.final_variables as Record<string, unknown>).last, 10000);

    const echoed = states.echo.output_data as { truncated?: boolean; size_bytes?: number };
    assert.equal(echoed.truncated, true, 'a 5 MiB output is stored truncated');
    assert.ok((echoed.size_bytes ?? 0) > 5_000_000);
    const big = (run.final_variables as Record<string, { truncated?: boolean }>).big;
    assert.equal(big.truncated, true, 'final variables are capped too');
    assert.ok(response.body.length < 2_000_000, `the stored execution is small (${response.body.length} bytes)`);

    const growthMb = (rssAfter - rssBefore) / 1024 / 1024;
    t.app.logger.info({ rss_growth_mb: growthMb }, 'large run');
    console.log(
      `# RSS growth over the large run: ${growthMb.toFixed(1)} MiB (before ${(rssBefore / 1048576).toFixed(0)} MiB)`,
    );
    assert.ok(growthMb < 400, `RSS grew ${growthMb.toFixed(1)} MiB`);
  });
});
