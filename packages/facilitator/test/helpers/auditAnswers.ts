import assert from "node:assert/strict";
import { getAbiItem, type Hex, type PublicClient } from "viem";
import { eip3009Abi } from "../../src/chain/eip3009Abi.js";
import type { ExactPayment } from "../../src/domain/types.js";
import { transferredExactly } from "../../src/schemes/exact/findAuthorizationUse.js";

/** One `/settle` exchange as the client saw it. */
export type SettleExchange = { body: unknown; answer: Record<string, unknown> };

type WireAuthorization = { from: Hex; to: Hex; value: string; nonce: Hex };

/** The token, payee and authorization a `/settle` body names (v1 or v2), if it names them. */
function paymentOf(body: unknown): Pick<ExactPayment, "asset" | "payTo" | "authorization"> | undefined {
  const b = body as {
    paymentPayload?: { payload?: { authorization?: WireAuthorization } };
    paymentRequirements?: { asset?: Hex; payTo?: Hex };
  };
  const a = b?.paymentPayload?.payload?.authorization;
  const r = b?.paymentRequirements;
  if (!a || !r?.asset || !r.payTo || !/^\d+$/.test(String(a.value)) || !/^0x[0-9a-fA-F]{64}$/.test(String(a.nonce))) {
    return undefined;
  }
  return {
    asset: r.asset,
    payTo: r.payTo,
    authorization: { from: a.from, to: a.to, value: BigInt(a.value), validAfter: 0n, validBefore: 0n, nonce: a.nonce },
  };
}

/**
 * "For every answer the facilitator ever gave, compare with the chain: no success that did not happen,
 * no failure that did" (settlement-engine.md). A success must name a mined transaction whose logs
 * transfer exactly this payment; a failure (other than `duplicate_settlement`, which is about another
 * payload, and `settlement_pending`, which claims nothing) must leave the payment unpaid on chain, unless a later
 * `/settle` of the same payment was answered with success naming the transaction that paid it (a refusal of a
 * paused token, then a retry after unpause).
 *
 * @param client - A public client on the chain.
 * @param exchanges - Every `/settle` exchange of a test file.
 */
export async function auditAnswers(client: PublicClient, exchanges: readonly SettleExchange[]): Promise<number> {
  let checked = 0;
  for (const [index, { body, answer }] of exchanges.entries()) {
    if (typeof answer?.success !== "boolean") continue;
    const payment = paymentOf(body);
    if (!payment) continue;
    const reason = answer.errorReason;
    if (reason === "settlement_pending" || reason === "duplicate_settlement") continue;
    if (answer.success) {
      const receipt = await client.getTransactionReceipt({ hash: answer.transaction as Hex });
      assert.equal(receipt.status, "success");
      assert.ok(
        transferredExactly(receipt.logs, payment as ExactPayment),
        `success ${answer.transaction} does not transfer the payment`,
      );
    } else {
      const uses = await client.getLogs({
        address: payment.asset,
        event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
        args: { authorizer: payment.authorization.from, nonce: payment.authorization.nonce },
        fromBlock: 0n,
      });
      // A refusal says "not now" (a paused token): if the payer asked again later and was told it settled by the
      // very transaction that paid it, the refusal was true when given and the payer knows the truth.
      const laterSuccesses = new Set(
        exchanges
          .slice(index + 1)
          .filter((later) => later.answer?.success === true && sameAuthorization(later.body, body))
          .map((later) => String(later.answer.transaction).toLowerCase()),
      );
      for (const use of uses) {
        if (laterSuccesses.has(String(use.transactionHash).toLowerCase())) continue;
        const receipt = await client.getTransactionReceipt({ hash: use.transactionHash as Hex });
        assert.ok(
          !transferredExactly(receipt.logs, payment as ExactPayment),
          `failure "${String(reason)}" for a payment that ${use.transactionHash} paid`,
        );
      }
    }
    checked++;
  }
  return checked;
}

/** Whether two `/settle` bodies carry the same authorization (payer and nonce). */
function sameAuthorization(a: unknown, b: unknown): boolean {
  const x = paymentOf(a)?.authorization;
  const y = paymentOf(b)?.authorization;
  return (
    x !== undefined &&
    y !== undefined &&
    x.from.toLowerCase() === y.from.toLowerCase() &&
    x.nonce.toLowerCase() === y.nonce.toLowerCase()
  );
}
