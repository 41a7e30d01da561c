// Where the demo identity provider keeps its short-lived records (interactions, codes, tokens, grants): in
// this process's memory, each dropped when it expires. oidc-provider's own in-memory store does the same
// but warns on every start that it is for development, which the demo is by design.

interface Entry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/** A store class for one provider: oidc-provider makes one instance per kind of record. */
export function demoMemoryStore() {
  const stores = new Map<string, Map<string, Entry>>();
  return class DemoMemoryStore {
    private readonly entries: Map<string, Entry>;

    constructor(model: string) {
      let m = stores.get(model);
      if (!m) {
        m = new Map();
        stores.set(model, m);
      }
      this.entries = m;
    }

    private live(id: string): Entry | undefined {
      const e = this.entries.get(id);
      if (e && e.expiresAt <= Date.now()) {
        this.entries.delete(id);
        return undefined;
      }
      return e;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
      // Expired records are swept as new ones arrive, so a long demo session does not grow without end.
      for (const [key, e] of this.entries) if (e.expiresAt <= Date.now()) this.entries.delete(key);
      this.entries.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }

    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return this.live(id)?.payload;
    }

    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      for (const [id, e] of this.entries) if (e.payload.uid === uid && this.live(id)) return e.payload;
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
      for (const [id, e] of this.entries)
        if (e.payload.userCode === userCode && this.live(id)) return e.payload;
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const e = this.live(id);
      if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      this.entries.delete(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [id, e] of this.entries) if (e.payload.grantId === grantId) this.entries.delete(id);
    }
  };
}
