import { testUsdcAbi } from "@x402kit/bindings";
import { type Address, type Hex, parseEventLogs } from "viem";
import type { BenchChain } from "../chain/setupChain.js";
import type { PaymentOutcome } from "./runLoad.js";

/** What the chain says about a run's answers. */
export type Audit = {
  /** Payments whose authorization was used on chain with the matching transfer. */
  settledOnChain: number;
  /** Success answers naming a transaction that carries the payment (what the payer can trust). */
  truthfulSuccesses: number;
  /**
   * Payments paid more than once: an authorization used more than once, plus any payee credited beyond
   * the payments that settled (in payments). Must be 0.
   */
  doubleSettled: number;
  lies: {
    /** `success: true` without the payment in the named transaction. */
    successWithoutTransfer: number;
    /** The payer was told it failed (failure answer, error status, timeout), yet it settled. */
    failureButSettled: number;
  };
  /** Still `settlement_pending` when the run ended (not a lie: no outcome was claimed). */
  unresolved: number;
  /** Payee balance changes minus the payments that settled to them, in token units (0 expected). */
  payeeBalanceMismatch: string;
  /** Transactions the facilitator's signer sent during the run. */
  transactions: { sent: number; reverted: number; gasUsed: string };
  /** The outcomes counted in `truthfulSuccesses`. */
  truthful: ReadonlySet<PaymentOutcome>;
};

const key = (from: Address, nonce: Hex) => `${from.toLowerCase()}:${nonce.toLowerCase()}`;

/**
 * Compares every answer of a run with the chain, after the chain has settled down: each authorization's
 * nonce used once, each payee's balance change equal to the payments that settled to it, no success that
 * did not happen, no failure that did.
 *
 * @param chain - The run's chain.
 * @param outcomes - Every payment and the answers its payer got.
 * @param balancesBefore - Each payee's balance before the run.
 * @param signers - The facilitator's gas-paying account, or all of them.
 */
export async function auditSettlements(
  chain: BenchChain,
  outcomes: readonly PaymentOutcome[],
  balancesBefore: ReadonlyMap<Address, bigint>,
  signers: Address | readonly Address[],
): Promise<Audit> {
  const senders = new Set((typeof signers === "string" ? [signers] : signers).map((s) => s.toLowerCase()));
  const client = chain.publicClient;
  const toBlock = await client.getBlockNumber({ cacheTime: 0 });
  const logs = await client.getLogs({ address: chain.token, fromBlock: chain.startBlock, toBlock });
  const events = parseEventLogs({ abi: testUsdcAbi, logs, strict: true });

  // (from, nonce) -> transactions that used it; tx -> "from>to:value" transfers in it.
  const uses = new Map<string, Hex[]>();
  const transfers = new Map<Hex, Set<string>>();
  for (const event of events) {
    if (event.eventName === "AuthorizationUsed") {
      const k = key(event.args.authorizer, event.args.nonce);
      uses.set(k, [...(uses.get(k) ?? []), event.transactionHash]);
    } else if (event.eventName === "Transfer") {
      const set = transfers.get(event.transactionHash) ?? new Set<string>();
      set.add(`${event.args.from.toLowerCase()}>${event.args.to.toLowerCase()}:${event.args.value}`);
      transfers.set(event.transactionHash, set);
    }
  }

  let settledOnChain = 0;
  let truthfulSuccesses = 0;
  let doubleSettled = 0;
  let successWithoutTransfer = 0;
  let failureButSettled = 0;
  let unresolved = 0;
  const truthful = new Set<PaymentOutcome>();
  const settledTo = new Map<Address, bigint>();
  for (const outcome of outcomes) {
    const { payment } = outcome;
    const transfer = `${payment.payer.toLowerCase()}>${payment.payTo.toLowerCase()}:${payment.value}`;
    const paidIn = (uses.get(key(payment.payer, payment.nonce)) ?? []).filter((tx) => transfers.get(tx)?.has(transfer));
    const usedTimes = uses.get(key(payment.payer, payment.nonce))?.length ?? 0;
    if (usedTimes > 1) doubleSettled += usedTimes - 1;
    if (paidIn.length > 0) {
      settledOnChain++;
      settledTo.set(payment.payTo, (settledTo.get(payment.payTo) ?? 0n) + payment.value);
    }
    const answer = outcome.settle?.body;
    if (answer?.success === true) {
      if (paidIn.includes(answer.transaction as Hex)) {
        truthfulSuccesses++;
        truthful.add(outcome);
      } else successWithoutTransfer++;
    } else if (answer?.errorReason === "settlement_pending") {
      unresolved++;
    } else if (paidIn.length > 0) {
      failureButSettled++;
    }
  }

  let mismatch = 0n;
  for (const payee of chain.payees) {
    const after = await client.readContract({
      address: chain.token,
      abi: testUsdcAbi,
      functionName: "balanceOf",
      args: [payee],
    });
    const delta = after - (balancesBefore.get(payee) ?? 0n) - (settledTo.get(payee) ?? 0n);
    mismatch += delta;
    const value = outcomes.find((o) => o.payment.payTo === payee)?.payment.value ?? 1n;
    if (delta > 0n) doubleSettled += Number((delta + value - 1n) / value);
  }

  let sent = 0;
  let reverted = 0;
  let gasUsed = 0n;
  for (let n = chain.startBlock; n <= toBlock; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (!senders.has(tx.from.toLowerCase())) continue;
      const receipt = await client.getTransactionReceipt({ hash: tx.hash });
      sent++;
      if (receipt.status !== "success") reverted++;
      gasUsed += receipt.gasUsed;
    }
  }

  return {
    settledOnChain,
    truthfulSuccesses,
    doubleSettled,
    lies: { successWithoutTransfer, failureButSettled },
    unresolved,
    payeeBalanceMismatch: mismatch.toString(),
    transactions: { sent, reverted, gasUsed: gasUsed.toString() },
    truthful,
  };
}
