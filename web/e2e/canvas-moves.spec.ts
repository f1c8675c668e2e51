/**
 * Moving nodes on the canvas: a drag of many mouse moves is one undo step (the canvas keeps the
 * drag to itself and commits it when the pointer lets go), and what is saved is where it ended.
 */
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures.ts';
import { call, definition } from './runs-api.ts';

type Positions = { nodes: Record<string, { position?: { x: number; y: number } }> };

const nodeOn = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

test('a drag is one undo step, and the saved position is where it ended', async ({ page, server }) => {
  const token = await server.token('1');
  const { _ids, ...body } = definition('Moves', { start: ['trigger_manual'], say: ['action_chat_message'] }, [
    'start -> say',
  ]);
  const created = await call<{ workflow_id: string }>(server, token, 'POST', '/api/v1/workflows', body);
  const id = created.data.workflow_id;
  const stored = async () =>
    (await call<Positions>(server, token, 'GET', `/api/v1/workflows/${id}`)).data.nodes.say.position;
  const before = await stored();

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}`);
  const head = nodeOn(page, 'say').locator('.node-head');
  const box = await head.boundingBox();
  if (!box) throw new Error('the node is not on screen');
  await page.mouse.move(box.x + 10, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + 160, box.y + 85, { steps: 30 });
  await page.mouse.up();
  await expect.poll(stored).not.toEqual(before);
  const moved = await stored();
  expect(moved?.x).toBeGreaterThan((before?.x ?? 0) + 50);
  expect(moved?.y).toBeGreaterThan((before?.y ?? 0) + 30);

  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.click();
  // One step undid the whole drag: nothing is left to undo, and the server has the old place back.
  await expect(undo).toBeDisabled();
  await expect.poll(stored).toEqual(before);

  await page.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(stored).toEqual(moved);
});
