/**
 * @module store/postgres-introspection
 * Kysely's PostgreSQL introspector reads the tables of every schema in the database and resolves
 * each one by name (`pg_get_serial_sequence('schema.table', …)`). A schema dropped while that
 * query runs fails it with "schema … does not exist" (3F000): tests drop theirs all the time, and
 * the migrator asks on every start. Ours reads the session's own schema (`current_schema()`, where
 * unqualified tables and the migrator's bookkeeping live), so what other schemas do cannot touch it.
 */
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  PostgresDialect,
  PostgresIntrospector,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

interface ColumnRow {
  table: string;
  table_type: string;
  schema: string;
  column: string;
  not_null: boolean;
  has_default: boolean;
  type: string;
  type_schema: string;
  auto_incrementing: boolean;
  column_description: string | null;
}

const KYSELY_TABLES = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]);

/** Reads the tables of the session's schema only; schemas are listed as Kysely's introspector does. */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's own introspectors take any database.
export function createCurrentSchemaIntrospector(db: Kysely<any>): DatabaseIntrospector {
  async function getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    // Every lookup goes by oid, never by name, and only rows of the session's schema are read.
    const { rows } = await sql<ColumnRow>`
      select c.relname as "table", c.relkind as table_type, ns.nspname as "schema",
             a.attname as "column", a.attnotnull as not_null, a.atthasdef as has_default,
             typ.typname as "type", dtns.nspname as type_schema,
             col_description(a.attrelid, a.attnum) as column_description,
             exists (select 1 from pg_catalog.pg_depend d
                     join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
                     where d.refobjid = c.oid and d.refobjsubid = a.attnum
                       and d.classid = 'pg_catalog.pg_class'::regclass) as auto_incrementing
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_type typ on typ.oid = a.atttypid
      join pg_catalog.pg_namespace dtns on dtns.oid = typ.typnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
        and a.attnum >= 0 and not a.attisdropped
      order by c.relname, a.attnum`.execute(db);
    const tables = new Map<string, { name: string; schema: string; isView: boolean; columns: object[] }>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.has(row.table)) continue;
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.table_type === 'v', columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.auto_incrementing,
        comment: row.column_description ?? undefined,
      });
    }
    return [...tables.values()] as TableMetadata[];
  }

  return {
    getSchemas: (): Promise<SchemaMetadata[]> => new PostgresIntrospector(db).getSchemas(),
    getTables,
    getMetadata: async (options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> => ({
      tables: await getTables(options),
    }),
  };
}

export class CurrentSchemaPostgresDialect extends PostgresDialect {
  // biome-ignore lint/suspicious/noExplicitAny: the dialect interface takes any database.
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return createCurrentSchemaIntrospector(db);
  }
}
