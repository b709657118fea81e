import { type Address, getAddress, type PublicClient } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { SchemeVerifyResponse } from "../shared/types.js";
import { type Permit2SchemeName, permit2Address, permit2Proxies, settleCall } from "./proxies.js";
import { permit2Reasons as R } from "./reasons.js";
import { Eip2612Permit, type Permit2Payload, type Permit2Requirements } from "./schemas.js";
import { diagnoseSimulationFailure, simulateSettle } from "./simulateSettle.js";
import { verifyPermit2Signature } from "./verifyPermit2Signature.js";

/** A deadline must be at least this far ahead (s), as the official facilitator requires. */
const DEADLINE_BUFFER_SECONDS = 6n;

export type VerifyPermit2Parameters = {
  scheme: Permit2SchemeName;
  network: NetworkRuntime;
  /** `paymentPayload.accepted` (scheme and network) and `paymentPayload.extensions`. */
  accepted: { scheme?: unknown; network?: unknown };
  extensions: unknown;
  requirements: Permit2Requirements;
  payload: Permit2Payload;
  /** Our sender: the only `witness.facilitator` an upto payment may name, and the simulation's `msg.sender`. */
  sender: Address;
  /** Unix seconds. */
  now: number;
  /** Simulate the settle call (verify does; settle of `exact` does not, as the official facilitator). */
  simulate: boolean;
};

/**
 * Verifies a Permit2 payment with the official `@x402/evm` 2.27 facilitator's checks, in its order (first failure
 * answers): scheme, network, spender = the scheme's proxy, `witness.to` = `payTo`, (upto) `witness.facilitator` = our
 * sender, deadline ≥ now + 6 s, `validAfter` ≤ now, permitted amount = required amount, token = asset, the asset has
 * code, the signature (ECDSA, or ERC-1271 for a contract payer); then, unless `simulate` is off, the EIP-2612
 * extension's fields and an `eth_call` of the settle, a failure of which is diagnosed (proxy, balance, allowance).
 * Our allowlists (`assets`, `payees`) are checked with the network, as on the EIP-3009 path.
 *
 * @returns The wire answer; `payer` is always the authorization's `from`.
 */
export async function verifyPermit2(parameters: VerifyPermit2Parameters): Promise<SchemeVerifyResponse> {
  const { scheme, network, accepted, requirements, payload, now } = parameters;
  const client: PublicClient = network.client;
  const auth = payload.permit2Authorization;
  const payer = auth.from;
  const refuse = (invalidReason: string): SchemeVerifyResponse => ({ isValid: false, invalidReason, payer });

  if (accepted.scheme !== scheme || requirements.scheme !== scheme) {
    return refuse(scheme === "exact" ? R.unsupportedPayloadType : R.uptoScheme);
  }
  if (accepted.network !== requirements.network) {
    return refuse(scheme === "exact" ? R.exactNetworkMismatch : R.uptoNetworkMismatch);
  }
  if (
    (network.assets && !network.assets.has(requirements.asset.toLowerCase())) ||
    (network.payees && !network.payees.has(requirements.payTo.toLowerCase()))
  ) {
    return refuse(R.notAllowed);
  }
  const token = getAddress(requirements.asset);
  const assetCode = client.getCode({ address: token }).then(
    (code) => (code && code !== "0x" ? "" : R.assetNotDeployedContract),
    (error: unknown) => error,
  );
  if (getAddress(auth.spender) !== permit2Proxies[scheme].address) return refuse(R.invalidSpender);
  if (getAddress(auth.witness.to) !== getAddress(requirements.payTo)) return refuse(R.recipientMismatch);
  if (scheme === "upto" && (!auth.witness.facilitator || getAddress(auth.witness.facilitator) !== parameters.sender)) {
    return refuse(R.uptoFacilitatorMismatch);
  }
  if (BigInt(auth.deadline) < BigInt(now) + DEADLINE_BUFFER_SECONDS) return refuse(R.deadlineExpired);
  if (BigInt(auth.witness.validAfter) > BigInt(now)) return refuse(R.notYetValid);
  if (BigInt(auth.permitted.amount) !== BigInt(requirements.amount)) return refuse(R.amountMismatch);
  if (getAddress(auth.permitted.token) !== token) return refuse(R.tokenMismatch);
  const signatureValid = await verifyPermit2Signature({ client, scheme, chainId: network.chainId, payload });
  const assetReason = await assetCode;
  if (typeof assetReason !== "string") throw assetReason; // the RPC failed: no answer is true (the app says 5xx)
  if (assetReason) return refuse(assetReason);
  if (!signatureValid) return refuse(R.invalidSignature);
  if (!parameters.simulate) return { isValid: true, payer };

  const eip2612 = eip2612Extension(parameters.extensions);
  if (eip2612 && "invalid" in eip2612) return refuse(eip2612.invalid);
  if (eip2612) {
    const info = eip2612.permit;
    if (getAddress(info.from) !== getAddress(payer)) return refuse(R.eip2612FromMismatch);
    if (getAddress(info.asset) !== token) return refuse(R.eip2612AssetMismatch);
    if (getAddress(info.spender) !== permit2Address) return refuse(R.eip2612SpenderNotPermit2);
    if (BigInt(info.deadline) < BigInt(now) + DEADLINE_BUFFER_SECONDS) return refuse(R.eip2612DeadlineExpired);
  }
  const amount = BigInt(requirements.amount);
  let call: ReturnType<typeof settleCall>;
  try {
    call = settleCall({ scheme, payload, amount, eip2612: eip2612?.permit });
  } catch {
    return refuse(R.simulationFailed); // an EIP-2612 signature that is not 65 bytes: the simulation cannot run
  }
  const reverted = await simulateSettle(client, parameters.sender, call);
  if (reverted === undefined) return { isValid: true, payer };
  return refuse(await diagnoseSimulationFailure({ client, scheme, token, payer: getAddress(payer), amount }));
}

/**
 * The EIP-2612 gas-sponsoring extension of a payment, read as the official facilitator reads it: absent unless every
 * field is there; present with a malformed field, `invalid_eip2612_extension_format`.
 */
export function eip2612Extension(
  extensions: unknown,
): { permit: Eip2612Permit } | { invalid: string; permit?: undefined } | undefined {
  const info = (extensions as { eip2612GasSponsoring?: { info?: Record<string, unknown> } } | null | undefined)
    ?.eip2612GasSponsoring?.info;
  if (!info) return undefined;
  const fields = ["from", "asset", "spender", "amount", "nonce", "deadline", "signature", "version"] as const;
  if (!fields.every((field) => info[field])) return undefined;
  const parsed = Eip2612Permit.safeParse(info);
  return parsed.success ? { permit: parsed.data } : { invalid: R.eip2612InvalidFormat };
}
