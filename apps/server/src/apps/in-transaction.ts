import type { Kysely, Transaction } from 'kysely';

/**
 * A view of an open transaction for services that run their work as
 * `db.transaction().execute(work)` (form publishing, workflow publishing): their `work` runs in
 * this transaction instead of a new one, so an app import commits or rolls back as ONE unit.
 * Every other member is the transaction's own, bound to it (kysely keeps its state in private
 * fields, so a prototype copy would not do).
 */
export function inTransaction<DB>(trx: Transaction<DB>): Kysely<DB> {
  const joined = {
    execute: <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> => work(trx),
  };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
