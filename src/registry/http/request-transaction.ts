/**
 * One database transaction per request.
 *
 * Inputs:  the RegistryDatabase (db/database.ts) — the only place in http/ that touches it.
 * Outputs: `request.tx`, a SqlExecutor inside a transaction that is open from the preHandler
 *          stage until the reply is about to be sent.
 * Method:  `db.transaction(work)` takes a callback; we open it in a preHandler and keep the
 *          callback waiting on a promise that the onSend hook settles, so authentication, the
 *          route's service calls and their audit rows all share one BEGIN..COMMIT.
 *          - A route (or hook) that *throws* rolls back: the error handler marks the request.
 *          - A route that *returns* — including an explicit 401 for a failed login, whose failure
 *            count and audit row must persist — commits.
 *          - COMMIT happens in onSend, before the first byte of the reply, so a save the client
 *            sees acknowledged is committed; if COMMIT itself fails the reply becomes a 500
 *            (a 409 for a PostgreSQL serialization failure or deadlock: retry is safe).
 *          - A request whose reply never reaches onSend (client abort) is rolled back in
 *            onResponse / onRequestAbort.
 *          Schema validation runs before preHandler, so a malformed body never opens one.
 *          On PGlite transactions are serialised by the adapter; the window is kept to the
 *          route's own work (no network waits inside it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryDatabase, SqlExecutor } from '../db/database.js';

class Rollback extends Error {
  constructor() { super('rollback'); this.name = 'Rollback'; }
}

export interface OpenTransaction {
  readonly tx: SqlExecutor;
  /** Settles the transaction: COMMIT when `commit`, else ROLLBACK. Resolves when done; rejects when COMMIT fails. */
  finish(commit: boolean): Promise<void>;
  readonly finished: boolean;
}

/** Opens a transaction that stays open until finish() is called. */
export function openTransaction(db: RegistryDatabase): Promise<OpenTransaction> {
  return new Promise((resolveOpen, rejectOpen) => {
    let opened = false;
    let settle: (commit: boolean) => void = () => {};
    const decision = new Promise<boolean>((resolve) => { settle = resolve; });
    const completion = db.transaction(async (tx) => {
      opened = true;
      let finished = false;
      resolveOpen({
        tx,
        get finished() { return finished; },
        finish: async (commit: boolean) => {
          if (finished) return;
          finished = true;
          settle(commit);
          try {
            await completion;
          } catch (err) {
            if (!(err instanceof Rollback)) throw err;
          }
        },
      });
      if (!(await decision)) throw new Rollback();
    });
    completion.catch((err: unknown) => { if (!opened) rejectOpen(err); });
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's transaction (routes with config.transaction !== false). */
    tx: SqlExecutor;
    transaction: OpenTransaction | null;
    /** Set by the error handler: a thrown error rolls the transaction back. */
    rollback: boolean;
  }
  interface FastifyContextConfig {
    /** false for routes that need no database (health, openapi). */
    transaction?: boolean;
  }
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** Registers the hooks on `app` (call before the routes, at the root, so every route gets them). */
export function installRequestTransactions(app: FastifyInstance, db: RegistryDatabase): void {
  app.decorateRequest('tx', null as unknown as SqlExecutor);
  app.decorateRequest('transaction', null);
  app.decorateRequest('rollback', false);

  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.routeOptions.config.transaction === false) return;
    const open = await openTransaction(db);
    request.transaction = open;
    request.tx = open.tx;
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const open = request.transaction;
    if (open === null || open.finished) return payload;
    const commit = !request.rollback && reply.statusCode < 500;
    try {
      await open.finish(commit);
      return payload;
    } catch (err) {
      const sqlstate = (err as { code?: unknown }).code;
      const retryable = typeof sqlstate === 'string' && RETRYABLE_SQLSTATES.has(sqlstate);
      request.log.error({ err }, 'commit failed');
      reply.code(retryable ? 409 : 500).type('application/json');
      return JSON.stringify(retryable
        ? { error: 'conflict', message: 'a concurrent change won; reload and try again', values: null, version: null }
        : { error: 'internal', message: 'internal error; the server log has the details' });
    }
  });

  const abandon = async (request: FastifyRequest) => {
    const open = request.transaction;
    if (open !== null && !open.finished) await open.finish(false).catch(() => {});
  };
  app.addHook('onResponse', abandon);
  app.addHook('onRequestAbort', abandon);
}
