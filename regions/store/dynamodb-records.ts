import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Item, LogEntry, LogPosition, OrphanedWrite, OrphanReapplied, WriteOp } from "./store.ts";

/**
 * How the store's records map onto DynamoDB attributes (tables in dynamodb-tables.ts).
 *
 * Item `data` and a log entry's `op` are stored as JSON strings, not as DynamoDB maps: a JSON
 * string round-trips any JSON value exactly (key order, nested arrays, empty strings and
 * objects, numbers as JS doubles), where a map would reorder keys and has its own number
 * type. The price is that data cannot be filtered on server-side, which the store never does.
 */

export type Attributes = Record<string, AttributeValue>;

/** Partition of the meta table holding the log, one row per entry, sk = paddedSeq(seq). */
export const LOG_PK = "log";
/** Partition of the meta table holding one index row per item, sk = id (ordered listing). */
export const ITEM_INDEX_PK = "item";
/** Partition of the meta table holding orphaned writes, sk = orphanId; clear() leaves it alone. */
export const ORPHAN_PK = "orphan";
export const HEAD_KEY: Attributes = { pk: { S: "head" }, sk: { S: "head" } };

/**
 * Digits of a padded sequence number: Number.MAX_SAFE_INTEGER (9007199254740991) has 16,
 * so every safe seq sorts as a string in numeric order.
 */
export const SEQ_DIGITS = 16;

export function paddedSeq(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, "0");
}

export function logKey(seq: number): Attributes {
  return { pk: { S: LOG_PK }, sk: { S: paddedSeq(seq) } };
}

export function itemIndexKey(id: string): Attributes {
  return { pk: { S: ITEM_INDEX_PK }, sk: { S: id } };
}

/** One partition per key: idempotency keys are looked up one at a time, never listed. */
export function idempotencyKey(key: string): Attributes {
  return { pk: { S: `idem#${key}` }, sk: { S: "idem" } };
}

export function itemToAttributes(item: Item): Attributes {
  return {
    id: { S: item.id },
    data: { S: JSON.stringify(item.data) },
    createdAtMs: { N: String(item.createdAtMs) },
    updatedAtMs: { N: String(item.updatedAtMs) },
    version: { N: String(item.version) },
  };
}

export function itemFromAttributes(attrs: Attributes): Item {
  return {
    id: str(attrs, "id"),
    data: JSON.parse(str(attrs, "data")) as Record<string, unknown>,
    createdAtMs: num(attrs, "createdAtMs"),
    updatedAtMs: num(attrs, "updatedAtMs"),
    version: num(attrs, "version"),
  };
}

export function logEntryToAttributes(entry: LogEntry): Attributes {
  const attrs: Attributes = {
    ...logKey(entry.seq),
    seq: { N: String(entry.seq) },
    epoch: { N: String(entry.epoch) },
    origin: { S: entry.origin },
    atMs: { N: String(entry.atMs) },
    op: { S: JSON.stringify(entry.op) },
  };
  if (entry.idempotencyKey !== undefined) attrs.idempotencyKey = { S: entry.idempotencyKey };
  return attrs;
}

export function logEntryFromAttributes(attrs: Attributes): LogEntry {
  const entry: LogEntry = {
    seq: num(attrs, "seq"),
    epoch: num(attrs, "epoch"),
    origin: str(attrs, "origin"),
    atMs: num(attrs, "atMs"),
    op: JSON.parse(str(attrs, "op")) as WriteOp,
  };
  const key = attrs.idempotencyKey?.S;
  if (key !== undefined) entry.idempotencyKey = key;
  return entry;
}

export function orphanKey(id: string): Attributes {
  return { pk: { S: ORPHAN_PK }, sk: { S: id } };
}

/** The entry as JSON, as a log row's op is: it round-trips exactly. */
export function orphanToAttributes(orphan: OrphanedWrite): Attributes {
  const attrs: Attributes = {
    ...orphanKey(orphan.id),
    entry: { S: JSON.stringify(orphan.entry) },
    orphanedAtMs: { N: String(orphan.orphanedAtMs) },
  };
  if (orphan.reapplied !== undefined) attrs.reapplied = { S: JSON.stringify(orphan.reapplied) };
  return attrs;
}

export function orphanFromAttributes(attrs: Attributes): OrphanedWrite {
  const orphan: OrphanedWrite = {
    id: str(attrs, "sk"),
    entry: JSON.parse(str(attrs, "entry")) as LogEntry,
    orphanedAtMs: num(attrs, "orphanedAtMs"),
  };
  const reapplied = attrs.reapplied?.S;
  if (reapplied !== undefined) orphan.reapplied = JSON.parse(reapplied) as OrphanReapplied;
  return orphan;
}

export function headToAttributes(position: LogPosition): Attributes {
  return { ...HEAD_KEY, seq: { N: String(position.seq) }, epoch: { N: String(position.epoch) } };
}

export function headFromAttributes(attrs: Attributes | undefined): LogPosition {
  return attrs === undefined ? { seq: 0, epoch: 0 } : { seq: num(attrs, "seq"), epoch: num(attrs, "epoch") };
}

function str(attrs: Attributes, name: string): string {
  const value = attrs[name]?.S;
  if (value === undefined) throw new Error(`stored record has no string attribute "${name}"`);
  return value;
}

function num(attrs: Attributes, name: string): number {
  const value = attrs[name]?.N;
  if (value === undefined) throw new Error(`stored record has no number attribute "${name}"`);
  return Number(value);
}
