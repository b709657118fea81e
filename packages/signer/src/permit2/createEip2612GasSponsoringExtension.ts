import { type Address, getAddress, type PublicClient, parseAbi } from "viem";
import {
  Eip2612DomainMissingError,
  type Eip2612DomainMissingErrorType,
  Eip2612NonceReadError,
  type Eip2612NonceReadErrorType,
} from "../errors/permit2.js";
import {
  type AccountNotFoundErrorType,
  InvalidAuthorizationError,
  type InvalidAuthorizationErrorType,
} from "../errors/signer.js";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { networkToChainId } from "../wire/networkToChainId.js";
import { EIP2612_GAS_SPONSORING_KEY, eip2612PermitTypes, PERMIT2_ADDRESS } from "./constants.js";
import { Eip2612GasSponsoringInfo, ExactPermit2PaymentRequirements, UptoPaymentRequirements } from "./schemas.js";

const noncesAbi = parseAbi(["function nonces(address owner) view returns (uint256)"]);

/** What reads the chain: a viem `PublicClient` (or any client with `readContract`) on the requirement's chain. */
export type ContractReader = Pick<PublicClient, "readContract">;

export type CreateEip2612GasSponsoringExtensionParameters = {
  /** The payer, the token's owner: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** The v2 requirement being paid: `exact` with `extra.assetTransferMethod: "permit2"`, or `upto`. */
  requirements: unknown;
  /**
   * The permit's deadline (unix seconds): the Permit2 authorization's `deadline`, as the official client uses.
   * Defaults to `now + maxTimeoutSeconds`.
   */
  deadline?: bigint | string | undefined;
  /** Current unix time in seconds, for the default deadline. Defaults to the system clock. */
  now?: number | bigint | undefined;
  /** Reads the token's `nonces(owner)`. Not needed when `nonce` is given. */
  client?: ContractReader | undefined;
  /** The token's current EIP-2612 nonce for the payer, instead of reading it with `client`. */
  nonce?: bigint | undefined;
  /** The token's EIP-712 `name`. Defaults to `requirements.extra.name`. */
  name?: string | undefined;
  /** The token's EIP-712 `version`. Defaults to `requirements.extra.version`. */
  version?: string | undefined;
};

/** `extensions` to add to the payment: the gas-sponsoring extension with the signed permit as its `info`. */
export type CreateEip2612GasSponsoringExtensionReturnType = {
  [EIP2612_GAS_SPONSORING_KEY]: { info: Eip2612GasSponsoringInfo };
};

export type CreateEip2612GasSponsoringExtensionErrorType =
  | Eip2612DomainMissingErrorType
  | Eip2612NonceReadErrorType
  | InvalidAuthorizationErrorType
  | SchemaValidationErrorType
  | AccountNotFoundErrorType;

/**
 * Signs the payer's gasless approval of Permit2 — EIP-2612 `permit(owner, spender = Permit2, value = amount, nonce,
 * deadline)` over the token's own domain — and returns it as x402's `eip2612GasSponsoring` extension, exactly as the
 * official `@x402/evm` clients build it (`exact` and `upto`) when the 402 declares the extension and the payer's
 * Permit2 allowance is short: `value` is the requirement's `amount` (for `upto` its maximum), `nonce` is the token's
 * `nonces(owner)`, the domain's `name`/`version` come from `extra`, `deadline` is the Permit2 authorization's, and
 * `info.version` is `"1"`. A facilitator that supports the extension spends the permit first (the proxy's
 * `settleWithPermit`), so the payer never sends the approval transaction. Only for tokens that implement EIP-2612.
 *
 * See https://eips.ethereum.org/EIPS/eip-2612.
 *
 * @param parameters - {@link CreateEip2612GasSponsoringExtensionParameters}
 * @returns `{ eip2612GasSponsoring: { info } }`, to merge into the payment's `extensions`.
 * @throws {SchemaValidationError} When the requirement is neither an `exact` Permit2 nor an `upto` requirement.
 * @throws {Eip2612DomainMissingError} When the token's `name` or `version` is unknown.
 * @throws {Eip2612NonceReadError} When `nonces(owner)` cannot be read (or neither `client` nor `nonce` is given).
 *
 * @example
 * ```ts
 * import { createPublicClient, http } from "viem";
 * import { privateKeyToAccount } from "viem/accounts";
 * import { baseSepolia } from "viem/chains";
 * import { createEip2612GasSponsoringExtension, createPermit2Payload } from "@x402kit/signer/permit2";
 * const signer = privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`);
 * const client = createPublicClient({ chain: baseSepolia, transport: http() });
 * const { payload } = await createPermit2Payload({ signer, requirements });
 * const extensions = await createEip2612GasSponsoringExtension({
 *   signer, requirements, client, deadline: payload.permit2Authorization.deadline,
 * });
 * ```
 */
export async function createEip2612GasSponsoringExtension(
  parameters: CreateEip2612GasSponsoringExtensionParameters,
): Promise<CreateEip2612GasSponsoringExtensionReturnType> {
  const requirements =
    (parameters.requirements as { scheme?: unknown } | null)?.scheme === "upto"
      ? parseWithSchema(UptoPaymentRequirements, parameters.requirements, "upto PaymentRequirements")
      : parseWithSchema(ExactPermit2PaymentRequirements, parameters.requirements, "exact Permit2 PaymentRequirements");
  const asset = getAddress(requirements.asset);
  const extra = requirements.extra as { name?: unknown; version?: unknown };
  const name = parameters.name ?? (typeof extra.name === "string" && extra.name !== "" ? extra.name : undefined);
  const version =
    parameters.version ?? (typeof extra.version === "string" && extra.version !== "" ? extra.version : undefined);
  if (name === undefined || version === undefined) {
    throw new Eip2612DomainMissingError({
      asset,
      missing: [
        ...(name === undefined ? ["name" as const] : []),
        ...(version === undefined ? ["version" as const] : []),
      ],
    });
  }
  const signer = resolveSigner(parameters.signer);
  const owner = signer.address;
  const deadline =
    parameters.deadline !== undefined
      ? BigInt(parameters.deadline)
      : BigInt(parameters.now ?? Math.floor(Date.now() / 1000)) + BigInt(requirements.maxTimeoutSeconds);
  if (deadline <= 0n) throw new InvalidAuthorizationError({ reason: "the permit's deadline must be in the future" });
  const nonce = parameters.nonce ?? (await readNonce(parameters.client, asset, owner));
  const value = BigInt(requirements.amount);
  const signature = await signer.signTypedData({
    domain: { name, version, chainId: networkToChainId({ network: requirements.network }), verifyingContract: asset },
    types: eip2612PermitTypes,
    primaryType: "Permit",
    message: { owner, spender: PERMIT2_ADDRESS, value, nonce, deadline },
  });
  const info = parseWithSchema(
    Eip2612GasSponsoringInfo,
    {
      from: owner,
      asset,
      spender: PERMIT2_ADDRESS,
      amount: value.toString(),
      nonce: nonce.toString(),
      deadline: deadline.toString(),
      signature,
      version: "1",
    },
    "eip2612GasSponsoring info",
  );
  return { [EIP2612_GAS_SPONSORING_KEY]: { info } };
}

async function readNonce(client: ContractReader | undefined, asset: Address, owner: Address): Promise<bigint> {
  if (!client) {
    throw new Eip2612NonceReadError({ asset, owner, cause: new Error("no client to read it with, and no nonce") });
  }
  try {
    return await client.readContract({ address: asset, abi: noncesAbi, functionName: "nonces", args: [owner] });
  } catch (cause) {
    throw new Eip2612NonceReadError({ asset, owner, cause });
  }
}
