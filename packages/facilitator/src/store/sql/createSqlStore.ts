import type { Address, Hex } from "viem";
import type { Clock } from "../../domain/clock.js";
import { FacilitatorError, InvalidTransitionError } from "../../domain/errors.js";
import { paymentFromJson, paymentToJson } from "../../domain/paymentJson.js";
import type { Reason } from "../../domain/reasons.js";
import { assertTransition, statesLeadingTo } from "../../domain/stateMachine.js";
import type { NewSettlement, PaymentStore, SignerLease, SignerLeases, Submission } from "../../domain/store.js";
import type { SettlementKey, SettlementRecord, SettlementState, TxAttempt } from "../../domain/types.js";
import { createSignerFence, type Fence, type SignerFence } from "./signerFence.js";
import type { SqlDriver, SqlExecutor, SqlRow, SqlValue } from "./sqlDriver.js";

/** Ids per `IN (…)` list (well under every driver's parameter limit). */
const IDS_PER_QUERY = 500;

/** `ids` in slices of {@link IDS_PER_QUERY}, each as an `IN` list of named parameters (`:id0,:id1,…`). */
function* idLists(ids: readonly string[]): Generator<{ list: string; params: Record<string, SqlValue> }> {
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    yield {
      list: chunk.map((_, j) => `:id${j}`).join(","),
      params: Object.fromEntries(chunk.map((id, j) => [`id${j}`, id])),
    };
  }
}

/** How long the candidate rows of an instance that stopped heartbeating are kept (ms). */
const CANDIDATE_RETENTION_MS = 60 * 60 * 1_000;

/**
 * The settlement journal over SQL, for every dialect: the statements are written once, in the subset SQLite and
 * Postgres read alike (named parameters, `ON CONFLICT … DO NOTHING`, `rowid` as insertion order, which the Postgres
 * schema provides as an identity column; see `toPostgres`). Every write is one transaction of the driver.
 *
 * On Postgres every row a write moves is locked first (`FOR UPDATE`), and the state check runs on the locked row,
 * so concurrent writers serialise per row as they do on SQLite. A submission is the claim of a job (its settlements
 * go from queued to submitted, with the signed transaction): it locks with `FOR UPDATE SKIP LOCKED`, so a
 * settlement another transaction is claiming (another facilitator process on the same database) is not waited
 * for but refused: the submission fails as a whole and nothing is broadcast (I1). A claim takes only `queued`
 * settlements: one another instance submitted already is refused, never carried by a second transaction.
 *
 * Signer leases (`signer_leases`, see {@link SignerLeases}): once this store acquired one, every write of a
 * signer's work, the insert of one of its transactions and every move of a settlement one of its transactions
 * carries, first reads that signer's lease row (`FOR SHARE` on Postgres, so an acquisition by another instance, which
 * bumps the token, waits for the writes in flight and every later one sees the new token) and commits only under the
 * token this store got: an instance whose lease was taken over writes nothing more for that signer.
 *
 * @param driver - The database.
 * @param clock - Time source for `created_at` / `updated_at`.
 * @param signerFence - The held leases and their check; pass the one the database's other stores fence with (the
 * intents journal's), so a lease this store acquires fences their writes too.
 * @returns A {@link PaymentStore}.
 */
export function createSqlStore(
  driver: SqlDriver,
  clock: Clock,
  signerFence: SignerFence = createSignerFence(driver.dialect),
): PaymentStore {
  const postgres = driver.dialect === "postgres";
  let commits = 0;
  /** The leases this store acquired and the check of their tokens (shared with the intents journal's store). */
  const { held } = signerFence;
  /** Whether this store took part in signer leases at all: until then nothing is fenced (one writer per journal). */
  const leasing = () => signerFence.holder !== undefined;
  const transaction = async <T>(work: (tx: SqlExecutor, fence: Fence) => Promise<T>): Promise<T> => {
    const result = await driver.transaction((tx) => work(tx, signerFence.in(tx)));
    commits++;
    return result;
  };

  const getById = async (db: SqlExecutor, id: string): Promise<SettlementRecord | undefined> => {
    const row = await db.get("SELECT * FROM settlements WHERE id = :id", { id });
    return row ? toRecord(row) : undefined;
  };
  const getByKey = async (db: SqlExecutor, key: SettlementKey): Promise<SettlementRecord | undefined> => {
    const row = await db.get(
      "SELECT * FROM settlements WHERE chain_id = :chainId AND asset = :asset AND payer = :payer AND auth_nonce = :nonce",
      {
        chainId: key.chainId,
        asset: key.asset.toLowerCase(),
        payer: key.from.toLowerCase(),
        nonce: key.nonce.toLowerCase(),
      },
    );
    return row ? toRecord(row) : undefined;
  };

  /** Moves one settlement, checking the state machine, inside the caller's transaction. */
  const move = async (
    tx: SqlExecutor,
    fence: Fence,
    id: string,
    to: SettlementState,
    set: Record<string, SqlValue>,
    claim = false,
  ) => {
    const lock = postgres ? (claim ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE") : "";
    const row = await tx.get(`SELECT * FROM settlements WHERE id = :id${lock}`, { id });
    if (!row) {
      if (claim && postgres && (await getById(tx, id))) {
        throw new FacilitatorError(`Settlement ${id} is being written by another transaction`);
      }
      throw new FacilitatorError(`Settlement ${id} is not in the journal`);
    }
    const from = toRecord(row).state;
    assertTransition(id, from, to);
    // A claim takes queued settlements only: a submitted one is some transaction's already (another instance's).
    if (claim && from !== "queued") throw new InvalidTransitionError({ id, from, to });
    if (row.signer !== null && row.signer !== undefined) await fence(String(row.signer));
    // Under leases a queued settlement is the queuing instance's to send (until it holds no live lease).
    const values = to === "queued" && leasing() ? { ...set, queued_by: signerFence.holder ?? null } : set;
    const columns = Object.keys(values);
    const assignments = columns.map((c) => `${c} = :${c}`).join(", ");
    const allowed = (claim ? ["queued"] : statesLeadingTo(to)).map((s) => `'${s}'`).join(",");
    const changes = await tx.run(
      `UPDATE settlements SET state = :state, updated_at = :now${assignments ? `, ${assignments}` : ""}
       WHERE id = :id AND state IN (${allowed})`,
      { ...values, state: to, now: clock.now(), id },
    );
    if (changes !== 1) throw new FacilitatorError(`Settlement ${id} changed state concurrently`);
  };
  const insertAttempt = async (tx: SqlExecutor, fence: Fence, attempt: TxAttempt) => {
    await fence(attempt.signer);
    await tx.run(
      `INSERT INTO tx_attempts (hash, chain_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, kind, created_at)
       VALUES (:hash, :chainId, :signer, :nonce, :raw, :maxFee, :maxPriorityFee, :kind, :createdAt)`,
      {
        hash: attempt.hash.toLowerCase(),
        chainId: attempt.chainId,
        signer: attempt.signer.toLowerCase(),
        nonce: attempt.nonce,
        raw: attempt.raw,
        maxFee: attempt.maxFeePerGas.toString(),
        maxPriorityFee: attempt.maxPriorityFeePerGas.toString(),
        kind: attempt.kind,
        createdAt: attempt.createdAt,
      },
    );
  };

  /** Inserts one settlement (autocommit, or inside the caller's transaction); commits are counted by the caller. */
  const insertOne = async (
    db: SqlExecutor,
    input: NewSettlement,
  ): Promise<{ record: SettlementRecord; created: boolean }> => {
    const now = clock.now();
    const changes = await db.run(
      `INSERT INTO settlements (id, chain_id, asset, payer, auth_nonce, fingerprint, state, x402_version, pay_to,
         amount, valid_before, payment_json, created_at, updated_at, queued_by)
       VALUES (:id, :chainId, :asset, :payer, :nonce, :fingerprint, :state, :version, :payTo, :amount,
         :validBefore, :json, :now, :now, :queuedBy)
       ON CONFLICT (chain_id, asset, payer, auth_nonce) DO NOTHING`,
      {
        id: input.id,
        chainId: input.key.chainId,
        asset: input.key.asset.toLowerCase(),
        payer: input.key.from.toLowerCase(),
        nonce: input.key.nonce.toLowerCase(),
        fingerprint: input.fingerprint,
        state: input.state ?? "received",
        version: input.payment.x402Version,
        payTo: input.payment.payTo,
        amount: input.payment.amount.toString(),
        validBefore: input.payment.authorization.validBefore.toString(),
        json: paymentToJson(input.payment),
        now,
        queuedBy: input.state === "queued" && leasing() ? (signerFence.holder ?? null) : null,
      },
    );
    if (changes === 1) {
      const record = await getById(db, input.id);
      if (!record) throw new FacilitatorError(`Settlement ${input.id} is not in the journal`);
      return { record, created: true };
    }
    const existing = await getByKey(db, input.key);
    if (!existing) throw new FacilitatorError("Settlement insert conflicted but no row holds its key");
    return { record: existing, created: false };
  };

  const leaseOf = (row: SqlRow): SignerLease => ({
    signer: String(row.signer) as Address,
    holder: String(row.holder),
    token: BigInt(String(row.token)),
    expiresAt: Number(row.expires_at),
  });
  const leases: SignerLeases = {
    async acquire(signer, holder, ttlMs) {
      signerFence.holder = holder;
      const key = signer.toLowerCase();
      const now = clock.now();
      const expires = now + ttlMs;
      const taken = await driver.transaction(async (tx) => {
        const row = await tx.get(`SELECT * FROM signer_leases WHERE signer = :signer${postgres ? " FOR UPDATE" : ""}`, {
          signer: key,
        });
        if (!row) {
          const inserted = await tx.run(
            `INSERT INTO signer_leases (signer, holder, token, expires_at, acquired_at)
             VALUES (:signer, :holder, 1, :expires, :now) ON CONFLICT (signer) DO NOTHING`,
            { signer: key, holder, expires, now },
          );
          if (inserted !== 1) return undefined; // another instance inserted it first: it holds it
          return { lease: { signer: key as Address, holder, token: 1n, expiresAt: expires }, tookOverFrom: undefined };
        }
        const current = leaseOf(row);
        if (current.holder === holder && held.get(key)?.token === current.token) {
          await tx.run("UPDATE signer_leases SET expires_at = :expires WHERE signer = :signer AND token = :token", {
            expires,
            signer: key,
            token: current.token.toString(),
          });
          return { lease: { ...current, expiresAt: expires }, tookOverFrom: undefined };
        }
        if (current.holder !== "" && current.expiresAt > now) return undefined;
        // Free, released or expired: a new token. Its UPDATE waits for the old holder's writes in flight (they
        // hold the row FOR SHARE); every later one of them sees the new token and is refused.
        const changed = await tx.run(
          `UPDATE signer_leases SET holder = :holder, token = token + 1, expires_at = :expires, acquired_at = :now
           WHERE signer = :signer AND token = :token`,
          { holder, expires, now, signer: key, token: current.token.toString() },
        );
        if (changed !== 1) return undefined;
        return {
          lease: { signer: key as Address, holder, token: current.token + 1n, expiresAt: expires },
          tookOverFrom: current.holder === "" || current.holder === holder ? undefined : current.holder,
        };
      });
      commits++;
      if (taken) held.set(key, taken.lease);
      else if (held.get(key)?.holder === holder) held.delete(key); // ours no more: another instance took it
      return taken;
    },

    async renew(signer, ttlMs) {
      const key = signer.toLowerCase();
      const lease = held.get(key);
      if (!lease) return false;
      const expires = clock.now() + ttlMs;
      const changed = await driver.run(
        "UPDATE signer_leases SET expires_at = :expires WHERE signer = :signer AND holder = :holder AND token = :token",
        { expires, signer: key, holder: lease.holder, token: lease.token.toString() },
      );
      commits++;
      if (changed !== 1) {
        if (held.get(key) === lease) held.delete(key);
        return false;
      }
      if (held.get(key) === lease) held.set(key, { ...lease, expiresAt: expires });
      return true;
    },

    async release(signer) {
      const key = signer.toLowerCase();
      const lease = held.get(key);
      if (!lease) return;
      // Fenced off here first: nothing more of this signer is written by this instance, then the row is freed.
      held.delete(key);
      await driver.run(
        "UPDATE signer_leases SET holder = '', expires_at = :now WHERE signer = :signer AND holder = :holder AND token = :token",
        { now: clock.now(), signer: key, holder: lease.holder, token: lease.token.toString() },
      );
      commits++;
    },

    claimUnowned: (chainId, limit) =>
      transaction(async (tx, fence) => {
        const rows = await tx.all(
          `SELECT * FROM settlements WHERE chain_id = :chainId AND (state = 'received' OR (state = 'queued' AND
             (queued_by IS NULL OR queued_by NOT IN (SELECT holder FROM signer_leases WHERE expires_at > :now))))
           ORDER BY created_at, rowid LIMIT :limit${postgres ? " FOR UPDATE SKIP LOCKED" : ""}`,
          { chainId, now: clock.now(), limit },
        );
        const claimed: SettlementRecord[] = [];
        for (const row of rows) {
          const record = toRecord(row);
          await move(tx, fence, record.id, "queued", {});
          claimed.push({ ...record, state: "queued" });
        }
        return claimed;
      }),

    async list() {
      return (await driver.all("SELECT * FROM signer_leases ORDER BY signer")).map(leaseOf);
    },

    held: () => [...held.values()],

    async heartbeat(holder, signers, ttlMs) {
      const now = clock.now();
      const rows = await driver.transaction(async (tx) => {
        for (const signer of signers) {
          await tx.run(
            `INSERT INTO lease_candidates (signer, holder, expires_at) VALUES (:signer, :holder, :expires)
             ON CONFLICT (signer, holder) DO UPDATE SET expires_at = excluded.expires_at`,
            { signer: signer.toLowerCase(), holder, expires: now + ttlMs },
          );
        }
        // Rows of instances gone for an hour are nobody's: kept that long only to read in an incident.
        await tx.run("DELETE FROM lease_candidates WHERE expires_at < :stale", { stale: now - CANDIDATE_RETENTION_MS });
        return tx.all("SELECT signer, holder FROM lease_candidates WHERE expires_at > :now ORDER BY signer, holder", {
          now,
        });
      });
      commits++;
      return rows.map((row) => ({ signer: String(row.signer) as Address, holder: String(row.holder) }));
    },

    async disown(ids) {
      const self = signerFence.holder;
      if (self === undefined || ids.length === 0) return;
      for (const { list, params } of idLists(ids)) {
        await driver.run(
          `UPDATE settlements SET queued_by = NULL WHERE state = 'queued' AND queued_by = :self AND id IN (${list})`,
          { ...params, self },
        );
        commits++;
      }
    },

    async leave(holder, signers) {
      await driver.transaction(async (tx) => {
        for (const signer of signers) {
          await tx.run("DELETE FROM lease_candidates WHERE signer = :signer AND holder = :holder", {
            signer: signer.toLowerCase(),
            holder,
          });
        }
      });
      commits++;
    },
  };

  const store: PaymentStore = {
    getByKey: (key) => getByKey(driver, key),
    getById: (id) => getById(driver, id),

    async statesOf(ids) {
      const states = new Map<string, SettlementState>();
      for (const { list, params } of idLists(ids)) {
        const rows = await driver.all(`SELECT id, state FROM settlements WHERE id IN (${list})`, params);
        for (const row of rows) states.set(String(row.id), String(row.state) as SettlementState);
      }
      return states;
    },

    async insertSettlement(input) {
      const result = await insertOne(driver, input);
      if (result.created) commits++;
      return result;
    },

    async insertSettlements(inputs) {
      if (inputs.length === 1) return [await store.insertSettlement(inputs[0] as NewSettlement)];
      if (inputs.length === 0) return [];
      // One transaction, one commit (one fsync) for every settlement admitted together.
      return transaction(async (tx) => {
        const results: { record: SettlementRecord; created: boolean }[] = [];
        for (const input of inputs) results.push(await insertOne(tx, input));
        return results;
      });
    },

    markQueued: (ids) =>
      transaction(async (tx, fence) => {
        for (const id of inLockOrder(ids)) await move(tx, fence, id, "queued", {});
      }),

    recordSubmission: ({ attempt, items }: Submission) =>
      transaction(async (tx, fence) => {
        await insertAttempt(tx, fence, attempt);
        for (const item of inLockOrder(items, (i) => i.id)) {
          await move(
            tx,
            fence,
            item.id,
            "submitted",
            {
              signer: attempt.signer.toLowerCase(),
              signer_nonce: attempt.nonce,
              batch_index: item.batchIndex ?? null,
              tx_hash: attempt.hash.toLowerCase(),
              message: null,
            },
            true,
          );
        }
      }),

    recordReplacement: (attempt) =>
      transaction(async (tx, fence) => {
        await insertAttempt(tx, fence, attempt);
        await tx.run(
          `UPDATE settlements SET tx_hash = :hash, updated_at = :now
           WHERE chain_id = :chainId AND signer = :signer AND signer_nonce = :nonce AND state IN ('submitted','unknown')`,
          {
            hash: attempt.hash.toLowerCase(),
            now: clock.now(),
            chainId: attempt.chainId,
            signer: attempt.signer.toLowerCase(),
            nonce: attempt.nonce,
          },
        );
      }),

    abandonReplacement: (replacement, previous) =>
      transaction(async (tx, fence) => {
        await fence(replacement.signer);
        await tx.run("UPDATE tx_attempts SET status = 'dead' WHERE hash = :hash", {
          hash: replacement.hash.toLowerCase(),
        });
        await tx.run(
          `UPDATE settlements SET tx_hash = :previous, updated_at = :now
           WHERE tx_hash = :hash AND state IN ('submitted','unknown')`,
          { previous: previous.hash.toLowerCase(), hash: replacement.hash.toLowerCase(), now: clock.now() },
        );
      }),

    markSubmitted: (ids) =>
      transaction(async (tx, fence) => {
        for (const id of inLockOrder(ids)) await move(tx, fence, id, "submitted", { message: null });
      }),

    markUnknown: (ids, message) =>
      transaction(async (tx, fence) => {
        for (const id of inLockOrder(ids)) await move(tx, fence, id, "unknown", { message });
      }),

    requeue: (ids, deadAttempts) =>
      transaction(async (tx, fence) => {
        for (const hash of deadAttempts) {
          await tx.run("UPDATE tx_attempts SET status = 'dead' WHERE hash = :hash", { hash: hash.toLowerCase() });
        }
        for (const id of inLockOrder(ids)) {
          await move(tx, fence, id, "queued", {
            signer: null,
            signer_nonce: null,
            batch_index: null,
            tx_hash: null,
            message: null,
          });
        }
      }),

    settle: (outcomes) =>
      transaction(async (tx, fence) => {
        for (const { id, outcome } of inLockOrder(outcomes, (o) => o.id)) {
          if (outcome.state === "confirmed") {
            await move(tx, fence, id, "confirmed", {
              tx_hash: outcome.txHash.toLowerCase(),
              block_number: outcome.blockNumber === undefined ? null : Number(outcome.blockNumber),
              reason: null,
              message: null,
            });
          } else {
            await move(tx, fence, id, "failed", {
              reason: outcome.reason,
              message: outcome.message ?? null,
              tx_hash: outcome.txHash?.toLowerCase() ?? null,
            });
          }
        }
      }),

    async attemptsForSlot(chainId, signer, nonce) {
      const rows = await driver.all(
        `SELECT * FROM tx_attempts WHERE chain_id = :chainId AND signer = :signer AND nonce = :nonce AND status = 'live'
         ORDER BY created_at, rowid`,
        { chainId, signer: signer.toLowerCase(), nonce },
      );
      return rows.map(toAttempt);
    },

    async settlementsForSlot(chainId, signer, nonce) {
      const rows = await driver.all(
        `SELECT * FROM settlements WHERE chain_id = :chainId AND signer = :signer AND signer_nonce = :nonce
         ORDER BY batch_index`,
        { chainId, signer: signer.toLowerCase(), nonce },
      );
      return rows.map(toRecord);
    },

    async listByState(states, chainId) {
      const list = states.map((s) => `'${s}'`).join(",");
      const rows =
        chainId === undefined
          ? await driver.all(`SELECT * FROM settlements WHERE state IN (${list}) ORDER BY created_at, rowid`)
          : await driver.all(
              `SELECT * FROM settlements WHERE state IN (${list}) AND chain_id = :chainId ORDER BY created_at, rowid`,
              { chainId },
            );
      return rows.map(toRecord);
    },

    async highestNonce(chainId, signer) {
      const row = await driver.get(
        "SELECT MAX(nonce) AS n FROM tx_attempts WHERE chain_id = :chainId AND signer = :signer AND status = 'live'",
        { chainId, signer: signer.toLowerCase() },
      );
      return row?.n === null || row?.n === undefined ? undefined : Number(row.n);
    },

    commits: () => commits,

    async countByState() {
      const counts: Record<SettlementState, number> = {
        received: 0,
        queued: 0,
        submitted: 0,
        unknown: 0,
        confirmed: 0,
        failed: 0,
      };
      const rows = await driver.all("SELECT state, COUNT(*) AS n FROM settlements GROUP BY state");
      for (const row of rows) counts[row.state as SettlementState] = Number(row.n);
      return counts;
    },

    leases,

    close: () => driver.close(),
  };
  return store;
}

/**
 * Rows are moved (and, on Postgres, locked) in id order, whatever order the caller lists them in: two transactions
 * moving overlapping sets then lock in the same order and never deadlock. Each move is independent of the others.
 */
function inLockOrder<T>(items: readonly T[], idOf: (item: T) => string = (item) => item as unknown as string): T[] {
  return [...items].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
}

const optional = <T>(value: unknown, map: (v: unknown) => T): T | undefined =>
  value === null || value === undefined ? undefined : map(value);

function toRecord(row: SqlRow): SettlementRecord {
  const payment = paymentFromJson(String(row.payment_json));
  return {
    id: String(row.id),
    key: {
      chainId: Number(row.chain_id),
      asset: String(row.asset) as Address,
      from: String(row.payer) as Address,
      nonce: String(row.auth_nonce) as Hex,
    },
    fingerprint: String(row.fingerprint) as Hex,
    state: String(row.state) as SettlementState,
    x402Version: Number(row.x402_version) as 1 | 2,
    payTo: String(row.pay_to) as Address,
    amount: BigInt(String(row.amount)),
    validBefore: BigInt(String(row.valid_before)),
    payment,
    signer: optional(row.signer, (v) => String(v) as Address),
    signerNonce: optional(row.signer_nonce, Number),
    batchIndex: optional(row.batch_index, Number),
    txHash: optional(row.tx_hash, (v) => String(v) as Hex),
    blockNumber: optional(row.block_number, (v) => BigInt(v as number | string)),
    reason: optional(row.reason, (v) => String(v) as Reason),
    message: optional(row.message, String),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toAttempt(row: SqlRow): TxAttempt {
  return {
    chainId: Number(row.chain_id),
    signer: String(row.signer) as Address,
    nonce: Number(row.nonce),
    hash: String(row.hash) as Hex,
    raw: String(row.raw) as Hex,
    maxFeePerGas: BigInt(String(row.max_fee_per_gas)),
    maxPriorityFeePerGas: BigInt(String(row.max_priority_fee_per_gas)),
    kind: String(row.kind) as "direct" | "batch",
    createdAt: Number(row.created_at),
  };
}
