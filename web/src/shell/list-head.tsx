/**
 * @module shell/list-head
 * The header row of a list table: the named columns, then an unlabelled (screen-reader "Actions")
 * column for the row's buttons.
 */
export function ListHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        <th scope="col">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}
