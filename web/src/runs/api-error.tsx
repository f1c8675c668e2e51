/**
 * @module runs/api-error
 * A failed request as the API said it: its code and message, never a blank screen.
 */
import type { ApiError } from '../api/client.ts';

export function ApiErrorNotice({ error, title }: { error: ApiError | null; title?: string }) {
  if (!error) return null;
  return (
    <div className="api-error" role="alert">
      {title && <strong>{title}: </strong>}
      <code className="error-code">{error.code}</code> {error.message}
    </div>
  );
}
