/** Stored API tokens (their secrets only as sha256) and browser sessions (ids only as sha256). */
export interface ApiTokenRow {
  id: string;
  name: string;
  role: string;
  projectKey: string | null;
  personKey: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiTokenStore {
  create(row: { name: string; role: string; projectKey: string | null; personKey: string | null; hash: string; createdAt: Date }): Promise<ApiTokenRow>;
  nameTaken(name: string): Promise<boolean>;
  list(): Promise<ApiTokenRow[]>;
  byHash(hash: string): Promise<ApiTokenRow | null>;
  byId(id: string): Promise<ApiTokenRow | null>;
  /** By name, or by id or name when `alsoId` (the string is a uuid). */
  byIdOrName(idOrName: string, alsoId: boolean): Promise<ApiTokenRow | null>;
  setRevokedAt(id: string, at: Date): Promise<ApiTokenRow>;
  setLastUsedAt(id: string, at: Date): Promise<void>;
}

export interface SessionRow {
  idHash: string;
  kind: string;
  tokenId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  deleteExpired(now: Date): Promise<void>;
  create(row: SessionRow): Promise<void>;
  byHash(idHash: string): Promise<SessionRow | null>;
  deleteByHash(idHash: string): Promise<void>;
  /** Returns how many were deleted. */
  deleteOfToken(tokenId: string): Promise<number>;
}

export interface OptOutStore {
  /** False when the person had already opted out of `commKey`. */
  add(personId: string, commKey: string): Promise<boolean>;
  /** Whether any of `commKeys` is opted out of. */
  any(personId: string, commKeys: readonly string[]): Promise<boolean>;
  /** Removes these opt-outs; returns how many there were. */
  remove(personId: string, commKeys: readonly string[]): Promise<number>;
}
