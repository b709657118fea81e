import { erc20Abi, type Hex, isAddressEqual, parseEventLogs } from "viem";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import type { SchemeSettleResponse } from "../shared/types.js";
import { permit2Key } from "./idempotencyKey.js";
import { settleCall } from "./proxies.js";
import { permit2Reasons as R } from "./reasons.js";
import { revertName, settleRevertReason } from "./simulateSettle.js";
import { eip2612Extension, type VerifyPermit2Parameters, verifyPermit2 } from "./verifyPermit2.js";

export type SettlePermit2Parameters = Omit<VerifyPermit2Parameters, "simulate" | "sender">;

/**
 * Settles a Permit2 payment through its scheme's proxy, once per Permit2 nonce (`sendIntent`: journaled before it
 * is signed, signed bytes before they are sent, one sender lock, `settlement_pending` with the hash while unmined).
 *
 * As the official facilitator: `exact` re-verifies without simulating, then the call is simulated from our sender
 * and a revert answers with its mapped reason (`permit2_invalid_nonce`, …); `upto` re-verifies with the signed
 * maximum as the amount (simulating it), then settles `requirements.amount` (the usage): 0 answers success with no
 * transaction, more than the maximum `invalid_upto_evm_payload_settlement_exceeds_amount`.
 *
 * `exact` payments of different payers that wait for the sender together share one transaction (`sendIntent.ts`,
 * Multicall3 with each call allowed to fail); each is settled when the receipt holds its own transfer, payer to
 * `payTo`, of its amount. `upto` is sent alone: its proxy accepts only the witness's facilitator as the caller.
 */
export function settlePermit2(
  sender: IntentSender,
  parameters: SettlePermit2Parameters,
): Promise<SchemeSettleResponse> {
  const { scheme, network, requirements, payload } = parameters;
  const auth = payload.permit2Authorization;
  const payer = auth.from;
  const amount = BigInt(requirements.amount);
  const eip2612 = eip2612Extension(parameters.extensions);
  const answer = (fields: Partial<SchemeSettleResponse>): SchemeSettleResponse => ({
    success: false,
    transaction: "",
    network: network.caip2,
    payer,
    ...fields,
  });
  return sendIntent(sender, {
    client: network.client,
    chainId: network.chainId,
    network: network.caip2,
    key: permit2Key(network.chainId, payer, auth.nonce),
    kind: scheme === "exact" ? "permit2_exact" : "permit2_upto",
    // What the answer vouches for: the payload and the requirements it is settled against (a stored success is
    // returned only to the same request).
    fingerprint: fingerprint({
      scheme,
      network: network.caip2,
      payload,
      eip2612: eip2612?.permit,
      asset: requirements.asset.toLowerCase(),
      payTo: requirements.payTo.toLowerCase(),
      amount: `${amount}`,
    }),
    payer,
    failedReason: scheme === "exact" ? R.exactTransactionFailed : R.uptoTransactionFailed,
    conflictReason: R.idempotencyConflict,
    ...(scheme === "exact"
      ? {
          batch: {
            group: `payer:${payer.toLowerCase()}`,
            tookEffect: (receipt) =>
              parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs }).some(
                (log) =>
                  isAddressEqual(log.address, requirements.asset as Hex) &&
                  isAddressEqual(log.args.from, payer as Hex) &&
                  isAddressEqual(log.args.to, requirements.payTo as Hex) &&
                  log.args.value === amount,
              ),
          },
        }
      : {}),
    async prepare() {
      const verified = await verifyPermit2({
        ...parameters,
        requirements: scheme === "upto" ? { ...requirements, amount: auth.permitted.amount } : requirements,
        sender: sender.account.address,
        simulate: scheme === "upto",
      });
      if (!verified.isValid) return { refusal: answer({ errorReason: verified.invalidReason ?? R.simulationFailed }) };
      if (scheme === "upto" && amount === 0n) return { refusal: answer({ success: true, amount: "0" }) }; // nothing to send
      if (scheme === "upto" && amount > BigInt(auth.permitted.amount)) {
        return { refusal: answer({ errorReason: R.uptoSettlementExceedsAmount }) };
      }
      if (eip2612 && "invalid" in eip2612) return { refusal: answer({ errorReason: eip2612.invalid }) };
      const call = settleCall({ scheme, payload, amount, eip2612: eip2612?.permit });
      try {
        await network.client.call({ account: sender.account.address, ...call });
      } catch (error) {
        const name = revertName(error);
        return {
          refusal: answer({
            errorReason: settleRevertReason(name),
            errorMessage: `the settle call reverted${name ? ` with ${name}()` : ""}`,
          }),
        };
      }
      return { call };
    },
    async onMined(receipt) {
      return {
        success: true,
        transaction: receipt.transactionHash as Hex,
        network: network.caip2,
        payer,
        ...(scheme === "upto" ? { amount: `${amount}` } : {}),
      };
    },
  });
}
