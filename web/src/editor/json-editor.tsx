/**
 * @module editor/json-editor
 * A labelled CodeMirror JSON editor (lazily loaded), for test payloads and variables.
 */
import { CodeField } from './code-field.tsx';

export default function JsonEditor({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="json-editor">
      <div className="field-label" id={`${id}-label`}>
        {label}
      </div>
      <CodeField id={id} label={label} value={value} onChange={onChange} language="json" />
    </div>
  );
}
