/**
 * The ERC-3009 side of a deposit: the payer signs `receiveWithAuthorization` to the ERC3009DepositCollector for
 * the deposit amount, with a nonce bound to the channel (`keccak256(abi.encode(channelId, salt))`); the collector
 * receives it and forwards the funds to the channel contract inside `deposit(config, amount, collector, data)`.
 */
import { ERC3009_DEPOSIT_COLLECTOR_ADDRESS } from "@x402kit/bindings";
import { receiveWithAuthorizationTypes } from "@x402kit/signer";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  isAddressEqual,
  keccak256,
  type PublicClient,
  parseErc6492Signature,
  zeroAddress,
} from "viem";
import type { DepositPayload } from "./schemas.js";

export const erc3009DepositCollectorAddress: Address = getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS);

type Erc3009Authorization = NonNullable<DepositPayload["deposit"]["authorization"]["erc3009Authorization"]>;

/** The ERC-3009 nonce of a deposit: bound to the channel, so the authorization funds that channel only. */
export function depositNonce(channelId: Hex, salt: string): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [channelId, BigInt(salt)]));
}

/** `collectorData` for the ERC3009DepositCollector: `abi.encode(validAfter, validBefore, salt, signature)`. */
export function depositCollectorData(auth: Erc3009Authorization): Hex {
  const { signature } = parseErc6492Signature(auth.signature as Hex);
  return encodeAbiParameters(
    [{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes" }],
    [BigInt(auth.validAfter), BigInt(auth.validBefore), BigInt(auth.salt), signature],
  );
}

/** The ERC-6492 deployment a signature carries, if any (factory and calldata, factory not zero). */
export function counterfactualDeployment(signature: string): { factory: Address; calldata: Hex } | undefined {
  const { address, data } = parseErc6492Signature(signature as Hex);
  if (!address || !data || isAddressEqual(address, zeroAddress)) return undefined;
  return { factory: address, calldata: data };
}

/** Whether the payer signed this `receiveWithAuthorization` (EOA, ERC-1271 or ERC-6492 through the node). */
export async function verifyReceiveAuthorization(
  client: PublicClient,
  parameters: {
    payer: string;
    asset: string;
    name: string;
    version: string;
    chainId: number;
    amount: string;
    auth: Erc3009Authorization;
    nonce: Hex;
  },
): Promise<boolean> {
  const { auth } = parameters;
  try {
    return await client.verifyTypedData({
      address: getAddress(parameters.payer),
      domain: {
        name: parameters.name,
        version: parameters.version,
        chainId: parameters.chainId,
        verifyingContract: getAddress(parameters.asset),
      },
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: getAddress(parameters.payer),
        to: erc3009DepositCollectorAddress,
        value: BigInt(parameters.amount),
        validAfter: BigInt(auth.validAfter),
        validBefore: BigInt(auth.validBefore),
        nonce: parameters.nonce,
      },
      signature: parseErc6492Signature(auth.signature as Hex).signature,
    });
  } catch {
    return false;
  }
}
