import { getAddress, toHex } from "viem";
import { InvalidAuthorizationError } from "../errors/signer.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { networkToChainId } from "../wire/networkToChainId.js";
import { buildPermit2TypedData } from "./buildPermit2TypedData.js";
import { X402_EXACT_PERMIT2_PROXY_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from "./constants.js";
import { ExactPermit2PaymentRequirements, UptoPaymentRequirements } from "./schemas.js";
import type { Permit2Authorization, Permit2Payload, Permit2Scheme } from "./types.js";

export type CreatePermit2PayloadParameters = {
  /** The payer: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /**
   * The v2 requirement to pay: `exact` with `extra.assetTransferMethod: "permit2"`, or `upto` (its `amount` is the
   * maximum the payer allows; `extra.facilitatorAddress` names who may settle).
   */
  requirements: unknown;
  /** Permit2 nonce (a uint256, Permit2's unordered nonces) instead of a random one. */
  nonce?: bigint | undefined;
  /** Current unix time in seconds, for the deadline. Defaults to the system clock. */
  now?: number | bigint | undefined;
};

export type CreatePermit2PayloadReturnType = {
  scheme: Permit2Scheme;
  /** The payment's `payload`, as the official clients build it. */
  payload: Permit2Payload;
};

/** A random 256-bit Permit2 nonce, as the official clients draw it. */
export function createPermit2Nonce(): bigint {
  return BigInt(toHex(crypto.getRandomValues(new Uint8Array(32))));
}

/**
 * Signs an x402 Permit2 payment for any ERC-20, byte for byte what the official `@x402/evm` clients produce:
 * `PermitWitnessTransferFrom` of `amount` of `asset` to the scheme's proxy (`x402ExactPermit2Proxy` or
 * `x402UptoPermit2Proxy`) as spender, `deadline = now + maxTimeoutSeconds`, witness `to = payTo`, `validAfter = 0`,
 * and for `upto` `facilitator = extra.facilitatorAddress`. The payer must have approved Permit2 for the token once
 * (see {@link buildPermit2ApprovalTransaction}).
 *
 * @param parameters - {@link CreatePermit2PayloadParameters}
 * @returns The scheme and the `payload`.
 * @throws {SchemaValidationError} When the requirement is neither an `exact` Permit2 nor an `upto` requirement.
 */
export async function createPermit2Payload(
  parameters: CreatePermit2PayloadParameters,
): Promise<CreatePermit2PayloadReturnType> {
  const scheme: Permit2Scheme =
    (parameters.requirements as { scheme?: unknown } | null)?.scheme === "upto" ? "upto" : "exact";
  const requirements =
    scheme === "upto"
      ? parseWithSchema(UptoPaymentRequirements, parameters.requirements, "upto PaymentRequirements")
      : parseWithSchema(ExactPermit2PaymentRequirements, parameters.requirements, "exact Permit2 PaymentRequirements");
  const signer = resolveSigner(parameters.signer);
  const now = BigInt(parameters.now ?? Math.floor(Date.now() / 1000));
  const deadline = now + BigInt(requirements.maxTimeoutSeconds);
  if (deadline <= 0n) throw new InvalidAuthorizationError({ reason: "the deadline must be after validAfter (0)" });
  const authorization: Permit2Authorization = {
    from: signer.address,
    permitted: { token: getAddress(requirements.asset), amount: requirements.amount },
    spender: scheme === "upto" ? X402_UPTO_PERMIT2_PROXY_ADDRESS : X402_EXACT_PERMIT2_PROXY_ADDRESS,
    nonce: (parameters.nonce ?? createPermit2Nonce()).toString(),
    deadline: deadline.toString(),
    witness:
      scheme === "upto"
        ? {
            to: getAddress(requirements.payTo),
            facilitator: getAddress((requirements as UptoPaymentRequirements).extra.facilitatorAddress),
            validAfter: "0",
          }
        : { to: getAddress(requirements.payTo), validAfter: "0" },
  };
  const typedData = buildPermit2TypedData({
    scheme,
    chainId: networkToChainId({ network: requirements.network }),
    authorization,
  });
  const signature = await signer.signTypedData(typedData);
  return { scheme, payload: { signature, permit2Authorization: authorization } };
}
