/**
 * @module runs/execution-page
 * One execution (deep link /executions/:id). Placeholder until the runs UI lands.
 */
export default function ExecutionPage({ executionId }: { executionId: string }) {
  return (
    <main className="page">
      <h1>Execution</h1>
      <p>
        <code>{executionId}</code>
      </p>
    </main>
  );
}
