import type { Tip, TipUrlRecord } from "./model";

/** Tips and their per-URL day records in DynamoDB (keys in packages/aws/src/tip-repository.ts). */
export interface TipRepository {
  /**
   * Writes a new tip and its URL record (a new one, or the day's record with this tip added as a
   * duplicate: `expectedUrlVersion` is the version read, null for a new record), all or nothing.
   * ConflictError when the URL record changed meanwhile.
   */
  create(tip: Tip, url: TipUrlRecord, expectedUrlVersion: number | null): Promise<void>;
  get(id: string): Promise<Tip | null>;
  byCodeHash(codeHash: string): Promise<Tip | null>;
  /** Replaces the tip if its stored version is still `expectedVersion` (ConflictError otherwise). */
  update(next: Tip, expectedVersion: number): Promise<void>;
  /** The URL's record of the current day window, if any. */
  urlRecord(urlKey: string, day: string): Promise<TipUrlRecord | null>;
  /**
   * Tips that still hold a contact or an address HMAC, oldest first (the retention sweep's reading):
   * a sparse index, so erased tips drop out of it.
   */
  withPersonalData(cursor: string | undefined, limit: number): Promise<{ tips: Tip[]; cursor?: string }>;
  /** The HMAC secret of the tip form: generated once, on first use, and kept in the store. */
  formSecret(): Promise<Uint8Array>;
}
