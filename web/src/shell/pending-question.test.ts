import { describe, expect, it } from 'vitest';
import { createPendingQuestion } from './pending-question.ts';

function recorded() {
  const shown: (string | null)[] = [];
  return { shown, question: createPendingQuestion<string>((subject) => shown.push(subject)) };
}

describe('a question put in a dialog', () => {
  it('shows what it asks about and answers what the dialog answers, then hides it', async () => {
    const { shown, question } = recorded();
    const yes = question.ask('run a');
    expect(shown).toEqual(['run a']);
    question.answer(true);
    expect(await yes).toBe(true);
    const no = question.ask('run b');
    question.answer(false);
    expect(await no).toBe(false);
    expect(shown).toEqual(['run a', null, 'run b', null]);
  });

  it('ignores an answer with nothing asked, and a second answer to the same question', async () => {
    const { shown, question } = recorded();
    question.answer(true);
    expect(shown).toEqual([]);
    const asked = question.ask('run a');
    question.answer(false);
    question.answer(true);
    expect(await asked).toBe(false);
    expect(shown).toEqual(['run a', null]);
  });

  it('answers a question no when another one is asked before it was answered', async () => {
    const { shown, question } = recorded();
    const first = question.ask('run a');
    const second = question.ask('run b');
    expect(await first).toBe(false);
    question.answer(true);
    expect(await second).toBe(true);
    expect(shown).toEqual(['run a', 'run b', null]);
  });
});
