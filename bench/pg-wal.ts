/**
 * @module bench/pg-wal
 * WAL that one schema's tables caused between two LSNs, on a server other clients write to as
 * well: pg_walinspect reads the records, and those kept are the ones touching a relation of the
 * schema (its tables, indexes and TOAST) plus every record of the transactions that did (their
 * commits). Needs a superuser; the extension lives in a database of the bench's own.
 */
import pg from 'pg';

const INSPECT_DATABASE = 'wfc_bench_walinspect';

export interface WalUsage {
  readonly bytes: number;
  readonly records: number;
  /** Of `bytes`, full-page images (the first change of a page after a checkpoint). */
  readonly fpi_bytes: number;
}

export async function currentLsn(client: pg.Client): Promise<string> {
  return (await client.query<{ lsn: string }>('select pg_current_wal_lsn() as lsn')).rows[0].lsn;
}

/** `admin` is connected to the database holding `schema`; `url` is that server. */
export async function walOfSchema(
  admin: pg.Client,
  url: string,
  schema: string,
  from: string,
  to: string,
): Promise<WalUsage> {
  const relations = await admin.query<{ node: string; db: string }>(
    `with own as (select c.oid, c.reltoastrelid from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = $1),
          toast as (select reltoastrelid as oid from own where reltoastrelid <> 0),
          toast_index as (select indexrelid as oid from pg_index where indrelid in (select oid from toast))
     select pg_relation_filenode(oid)::text as node,
            (select oid from pg_database where datname = current_database())::text as db
       from (select oid from own union select oid from toast union select oid from toast_index) r
      where pg_relation_filenode(oid) is not null`,
    [schema],
  );
  if (relations.rows.length === 0) return { bytes: 0, records: 0, fpi_bytes: 0 };
  const db = relations.rows[0].db;
  const pattern = `rel [0-9]+/${db}/(${relations.rows.map((r) => r.node).join('|')}) `;
  const target = new URL(url);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  const exists = await setup.query('select 1 from pg_database where datname = $1', [INSPECT_DATABASE]);
  if (exists.rowCount === 0) await setup.query(`create database ${INSPECT_DATABASE}`);
  await setup.end();
  target.pathname = `/${INSPECT_DATABASE}`;
  const inspect = new pg.Client({ connectionString: target.toString() });
  await inspect.connect();
  try {
    await inspect.query('create extension if not exists pg_walinspect');
    const result = await inspect.query<{ bytes: string; records: string; fpi: string }>(
      `with r as materialized (select xid, record_length, fpi_length, block_ref
                                 from pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)),
            xids as (select distinct xid from r where xid <> '0'::xid and block_ref ~ $3),
            kept as (select * from r where block_ref ~ $3 or xid in (select xid from xids))
       select coalesce(sum(record_length), 0) as bytes, count(*) as records, coalesce(sum(fpi_length), 0) as fpi
         from kept`,
      [from, to, pattern],
    );
    const row = result.rows[0];
    return { bytes: Number(row.bytes), records: Number(row.records), fpi_bytes: Number(row.fpi) };
  } finally {
    await inspect.end();
  }
}
