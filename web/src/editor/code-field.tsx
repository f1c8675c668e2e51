/**
 * @module editor/code-field
 * CodeMirror for the config fields that hold code: templates (with completion of the variables
 * known at this node after `{{`), JSONata (parse errors inline and under the field) and JSON.
 * Part of the lazily loaded form chunk.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { type Diagnostic, linter } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import jsonata from 'jsonata';
import { useMemo } from 'react';
import type { TemplateVariable } from './template-variables.ts';

export type CodeLanguage = 'template' | 'jsonata' | 'json';

/** The parse problem of a JSONata expression, or null; `position` is 1-based past the token. */
export function jsonataProblem(text: string): { message: string; position: number } | null {
  if (!text.trim()) return null;
  try {
    jsonata(text);
    return null;
  } catch (error) {
    const failure = error as { message?: string; position?: number };
    return { message: failure.message ?? String(error), position: failure.position ?? text.length };
  }
}

function templateCompletion(variables: readonly TemplateVariable[]) {
  return (context: CompletionContext): CompletionResult | null => {
    const before = context.matchBefore(/\{\{\s*[\w.[\]]*$/);
    if (!before) return null;
    const start = before.from + (/^\{\{\s*/.exec(before.text)?.[0].length ?? 2);
    return {
      from: start,
      options: variables.map((v) => ({ label: v.path, detail: v.detail, type: 'variable', apply: `${v.path} }}` })),
      validFor: /^[\w.[\]]*$/,
    };
  };
}

const jsonataLinter = linter((view): Diagnostic[] => {
  const text = view.state.doc.toString();
  const problem = jsonataProblem(text);
  if (!problem) return [];
  const to = Math.min(Math.max(problem.position, 1), text.length);
  return [{ from: Math.max(0, to - 1), to, severity: 'error', message: problem.message }];
});

export function CodeField({
  id,
  label,
  value,
  onChange,
  language,
  variables = [],
  readOnly = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  language: CodeLanguage;
  variables?: readonly TemplateVariable[];
  readOnly?: boolean;
}) {
  const extensions = useMemo(() => {
    const list = [
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label, id: `${id}-code`, 'data-language': language }),
    ];
    if (language === 'template') list.push(autocompletion({ override: [templateCompletion(variables)] }));
    if (language === 'jsonata') list.push(jsonataLinter);
    if (language === 'json') list.push(json(), linter(jsonParseLinter()));
    return list;
  }, [id, label, language, variables]);
  const problem = language === 'jsonata' ? jsonataProblem(value) : null;
  return (
    <div className={`code-field code-${language}`}>
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        readOnly={readOnly}
        editable={!readOnly}
        basicSetup={{ lineNumbers: false, foldGutter: false, highlightActiveLine: false, autocompletion: false }}
        minHeight="30px"
        maxHeight="220px"
      />
      {language === 'template' && !readOnly && (
        <div className="hint">
          Type <code>{'{{'}</code> for variables
        </div>
      )}
      {problem && (
        <div className="field-error" role="alert">
          JSONata: {problem.message} (at {problem.position})
        </div>
      )}
    </div>
  );
}
