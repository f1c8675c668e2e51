/**
 * @module transfer/export-file
 * Saving an export document as a file the browser downloads, named after the workflow.
 */

/** `Welcome & thanks!` → `welcome-thanks.workflow.json`; never empty, never a path. */
export function exportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'workflow'}.workflow.json`;
}

export function downloadJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started by now; the URL would otherwise hold the text until the tab closes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
