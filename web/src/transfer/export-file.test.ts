import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-file.ts';

describe('export file name', () => {
  it('is the workflow name as a safe file name', () => {
    expect(exportFileName('Welcome & thanks!')).toBe('welcome-thanks.workflow.json');
    expect(exportFileName('!uptime')).toBe('uptime.workflow.json');
    expect(exportFileName('Crème brûlée')).toBe('creme-brulee.workflow.json');
    expect(exportFileName('../../etc/passwd')).toBe('etc-passwd.workflow.json');
    expect(exportFileName('🎉')).toBe('workflow.workflow.json');
    expect(exportFileName('x'.repeat(300))).toHaveLength(80 + '.workflow.json'.length);
  });
});
