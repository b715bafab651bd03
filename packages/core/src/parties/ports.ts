import type { AgencyCode } from "../reference/agencies";
import type { SignerGroup } from "../reference/signer-groups";
import type { Party, PartyChange, PartyStatus } from "./model";

export interface PartyListQuery {
  agency: AgencyCode;
  province: string;
  group?: SignerGroup | undefined;
  status?: PartyStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface PartySearchQuery {
  agency: AgencyCode;
  /** Folded text (no case, no diacritics), at least two characters. */
  text: string;
  province?: string | undefined;
  group?: SignerGroup | undefined;
  status?: PartyStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface PartyPage {
  items: Party[];
  /** Opaque cursor of the next page; absent on the last page. */
  next?: string | undefined;
}

/** One party write: `before` null creates, otherwise `after` replaces `before` if it is still current. */
export interface PartyWrite {
  before: Party | null;
  after: Party;
  change: PartyChange;
}

export interface PartyRepository {
  get(id: string): Promise<Party | null>;
  /** The party holding an identifier key (see identifierKeys), if any. */
  findIdByKey(key: string): Promise<string | null>;
  /** The same for many keys at once (batched reads); keys nobody holds are absent from the map. */
  findIdsByKeys(keys: string[]): Promise<Map<string, string>>;
  getMany(ids: string[]): Promise<Map<string, Party>>;
  /**
   * Writes parties with their index entries, identifier claims and history, all or nothing.
   * ConflictError when a party changed meanwhile or an identifier belongs to another party.
   */
  write(writes: PartyWrite[]): Promise<void>;
  /**
   * Creates many new parties fast: their identifier claims transactionally (so no identifier is taken
   * twice), the rest in batches. Not atomic across parties: the import keeps undo records and rolls back.
   * The creations' history entries are not stored: `history` derives them (parties with `createdByImport`).
   */
  bulkCreate(writes: PartyWrite[]): Promise<void>;
  /** Removes a party created by an import being rolled back (and its index entries and claims). */
  remove(party: Party): Promise<void>;
  list(query: PartyListQuery): Promise<PartyPage>;
  search(query: PartySearchQuery): Promise<PartyPage>;
  history(id: string): Promise<PartyChange[]>;
}
