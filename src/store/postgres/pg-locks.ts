// Names of PostgreSQL advisory locks: database-wide by nature, so each is scoped to the store's schema (several
// stores, e.g. tenants or parallel test suites, may share one database) and kept in the two-key space, apart
// from the one-key per-record locks (hashtext(record id)).
/** The SQL arguments of pg_(try_)advisory_(xact_)lock for a lock of this store's schema. */
export function schemaLock(name: string): string {
  if (!/^[a-z-]+$/.test(name)) throw new Error(`bad lock name "${name}"`);
  return `hashtext('calltrove:' || current_schema()), hashtext('${name}')`;
}
