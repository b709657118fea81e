import type { Address, Hex } from "viem";
import {
  type AccountNotFoundErrorType,
  InvalidAuthorizationError,
  type InvalidAuthorizationErrorType,
} from "../errors/signer.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { buildAgentWalletSetTypedData } from "./buildAgentWalletSetTypedData.js";
import { MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS } from "./constants.js";

/** Default lifetime of a wallet proof: 4 minutes, leaving a minute of clock skew under the 5-minute cap. */
export const DEFAULT_AGENT_WALLET_DEADLINE_SECONDS = 240;

export type SignAgentWalletSetParameters = {
  /** The new wallet: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** Address of the Identity Registry (proxy). */
  identityRegistry: Address;
  /** Chain of the registry. */
  chainId: number | bigint;
  /** The agent. */
  agentId: bigint;
  /** The agent's owner, who will submit the proof. */
  owner: Address;
  /** Expiry in unix seconds. Defaults to now + {@link DEFAULT_AGENT_WALLET_DEADLINE_SECONDS}. */
  deadline?: bigint | undefined;
  /** Current unix time in seconds. Defaults to the system clock. */
  now?: number | bigint | undefined;
  /** Domain name, if the registry differs from the reference. */
  domainName?: string | undefined;
  /** Domain version, if the registry differs from the reference. */
  domainVersion?: string | undefined;
};
export type SignAgentWalletSetReturnType = {
  /** The signature to pass to `setAgentWallet`. */
  signature: Hex;
  /** The wallet that signed (`newWallet`). */
  newWallet: Address;
  /** The deadline that was signed. */
  deadline: bigint;
};
export type SignAgentWalletSetErrorType = InvalidAuthorizationErrorType | AccountNotFoundErrorType;

/**
 * Signs, as the new wallet, the ERC-8004 `AgentWalletSet` proof that lets an agent's owner call
 * `setAgentWallet(agentId, newWallet, deadline, signature)` on the Identity Registry. The registry
 * accepts the proof only while `now <= deadline <= now + 300`; it has no nonce, so keep deadlines short.
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 * @param parameters - {@link SignAgentWalletSetParameters}
 * @returns The signature, the signing wallet and the deadline.
 * @throws {InvalidAuthorizationError} When the deadline is past or beyond the 5-minute cap.
 *
 * @example
 * ```ts
 * import { signAgentWalletSet } from "@x402kit/signer/erc8004";
 * const { signature, newWallet, deadline } = await signAgentWalletSet({
 *   signer: paymentWallet, identityRegistry, chainId: 84532, agentId: 7n, owner: ownerAccount.address,
 * });
 * await ownerClient.writeContract({ address: identityRegistry, abi, functionName: "setAgentWallet",
 *   args: [7n, newWallet, deadline, signature] });
 * ```
 */
export async function signAgentWalletSet(
  parameters: SignAgentWalletSetParameters,
): Promise<SignAgentWalletSetReturnType> {
  const signer = resolveSigner(parameters.signer);
  const now = BigInt(parameters.now ?? Math.floor(Date.now() / 1000));
  const deadline = parameters.deadline ?? now + BigInt(DEFAULT_AGENT_WALLET_DEADLINE_SECONDS);
  if (deadline < now || deadline > now + BigInt(MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS)) {
    throw new InvalidAuthorizationError({
      reason: `deadline ${deadline} must be within [now, now + ${MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS}] (now = ${now})`,
    });
  }
  const typedData = buildAgentWalletSetTypedData({ ...parameters, newWallet: signer.address, deadline });
  const signature = await signer.signTypedData(typedData);
  return { signature, newWallet: typedData.message.newWallet, deadline };
}
