import { getAddress, type Hex, toHex } from "viem";
import { receiveWithAuthorizationTypes } from "../eip3009/constants.js";
import { InvalidChannelConfigError } from "../errors/batchSettlement.js";
import { InvalidAuthorizationError } from "../errors/signer.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { networkToChainId } from "../wire/networkToChainId.js";
import { buildChannelConfig } from "./buildChannelConfig.js";
import { buildErc3009DepositNonce, computeChannelId } from "./computeChannelId.js";
import { ERC3009_DEPOSIT_COLLECTOR_ADDRESS } from "./constants.js";
import { BatchSettlementPaymentRequirements } from "./schemas.js";
import { signVoucher, toUint128 } from "./signVoucher.js";
import type { BatchSettlementDepositPayload, ChannelConfig } from "./types.js";

export type CreateDepositPayloadParameters = {
  /** The payer: signs the ERC-3009 `receiveWithAuthorization` of the deposit. */
  signer: TypedDataSigner;
  /** Signs the voucher when it is not the payer (the channel's `payerAuthorizer`). */
  voucherSigner?: TypedDataSigner | undefined;
  /** The `batch-settlement` requirement (`extra.name`/`extra.version` are the token's EIP-712 domain). */
  requirements: unknown;
  /** The channel; defaults to {@link buildChannelConfig} for the signer and the requirement. */
  channelConfig?: ChannelConfig | undefined;
  /** How much to deposit, in atomic units; at least `maxClaimableAmount` less the current balance. */
  depositAmount: bigint | string;
  /** The voucher's cumulative ceiling: what was charged so far plus the request's `amount`. */
  maxClaimableAmount: bigint | string;
  /** The deposit's salt (bytes32), the seed of the ERC-3009 nonce; random like the official client's by default. */
  depositSalt?: Hex | undefined;
  /** Current unix time in seconds (`validBefore = now + maxTimeoutSeconds`). Defaults to the system clock. */
  now?: number | bigint | undefined;
};

/**
 * The first payment on a channel (or a top-up), byte for byte the official client's ERC-3009 deposit:
 * `receiveWithAuthorization(from = payer, to = ERC3009 deposit collector, value = depositAmount, validAfter = 0,
 * validBefore = now + maxTimeoutSeconds, nonce = keccak256(channelId, salt))` under the token's domain, and a
 * voucher for `maxClaimableAmount`.
 *
 * @param parameters - {@link CreateDepositPayloadParameters}
 * @returns The channel id and the `payload`.
 * @throws {SchemaValidationError} When the requirement is not a valid `batch-settlement` requirement.
 * @throws {InvalidAuthorizationError} When the requirement lacks the token's `extra.name`/`extra.version`.
 * @throws {InvalidChannelConfigError} When an amount is out of range or the channel is not the signer's.
 */
export async function createDepositPayload(
  parameters: CreateDepositPayloadParameters,
): Promise<{ channelId: Hex; payload: BatchSettlementDepositPayload }> {
  const requirements = parseWithSchema(
    BatchSettlementPaymentRequirements,
    parameters.requirements,
    "batch-settlement PaymentRequirements",
  );
  const method = requirements.extra.assetTransferMethod ?? "eip3009";
  if (method !== "eip3009") {
    throw new InvalidChannelConfigError({ reason: `deposits over ${method} are not supported (only eip3009)` });
  }
  const { name, version } = requirements.extra;
  if (!name || !version) {
    throw new InvalidAuthorizationError({
      reason: "a batch-settlement ERC-3009 deposit needs the token's EIP-712 extra.name and extra.version",
    });
  }
  const signer = resolveSigner(parameters.signer);
  const voucherSigner = parameters.voucherSigner ?? parameters.signer;
  const channelConfig =
    parameters.channelConfig ??
    buildChannelConfig({
      payer: signer.address,
      requirements,
      voucherSigner: parameters.voucherSigner ? resolveSigner(parameters.voucherSigner).address : undefined,
    });
  if (getAddress(channelConfig.payer) !== getAddress(signer.address)) {
    throw new InvalidChannelConfigError({ reason: "the channel's payer is not the signer" });
  }
  const depositAmount = toUint128(parameters.depositAmount, "depositAmount");
  if (depositAmount === 0n) throw new InvalidChannelConfigError({ reason: "the deposit must be positive" });
  const maxClaimableAmount = toUint128(parameters.maxClaimableAmount, "maxClaimableAmount");
  const salt = parameters.depositSalt ?? toHex(crypto.getRandomValues(new Uint8Array(32)));
  const now = BigInt(parameters.now ?? Math.floor(Date.now() / 1000));
  const validBefore = now + BigInt(requirements.maxTimeoutSeconds);
  const channelId = computeChannelId(channelConfig, requirements.network);
  const signature = await signer.signTypedData({
    domain: {
      name,
      version,
      chainId: networkToChainId({ network: requirements.network }),
      verifyingContract: getAddress(requirements.asset),
    },
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: {
      from: getAddress(signer.address),
      to: ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
      value: depositAmount,
      validAfter: 0n,
      validBefore,
      nonce: buildErc3009DepositNonce(channelId, salt),
    },
  });
  const voucher = await signVoucher({
    signer: voucherSigner,
    channelId,
    maxClaimableAmount,
    network: requirements.network,
  });
  return {
    channelId,
    payload: {
      type: "deposit",
      channelConfig,
      voucher,
      deposit: {
        amount: depositAmount.toString(),
        authorization: {
          erc3009Authorization: { validAfter: "0", validBefore: validBefore.toString(), salt, signature },
        },
      },
    },
  };
}

/**
 * The deposit the official client makes by default: `extra.minDeposit` when the server announces one at least the
 * request's amount, else 5 × the amount, and never less than what the voucher needs.
 *
 * @param parameters - The request's amount, the minimum needed and the requirement's `extra`.
 * @returns The deposit amount.
 */
export function defaultDepositAmount(parameters: {
  requestAmount: bigint;
  needed: bigint;
  extra?: { minDeposit?: unknown } | null | undefined;
  depositMultiplier?: number | undefined;
}): bigint {
  const raw = parameters.extra?.minDeposit;
  const announced =
    typeof raw === "string" && /^\d+$/.test(raw) && BigInt(raw) > 0n && BigInt(raw) >= parameters.requestAmount
      ? BigInt(raw)
      : undefined;
  const target = announced ?? BigInt(parameters.depositMultiplier ?? 5) * parameters.requestAmount;
  return parameters.needed > target ? parameters.needed : target;
}
