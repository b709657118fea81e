import {
  AbiDecodingZeroDataError,
  type Address,
  type Client,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  type Hex,
  isAddressEqual,
  recoverAddress,
  BaseError as ViemBaseError,
} from "viem";
import { getCode, readContract } from "viem/actions";
import { type HashAuthorizationErrorType, hashAuthorization } from "./hashAuthorization.js";
import { splitSignature } from "./splitSignature.js";
import type { AuthorizationMessage, AuthorizationPrimaryType, Eip3009Domain } from "./types.js";

/** ERC-1271 `isValidSignature(bytes32,bytes)` and its magic value. */
const erc1271Abi = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "magicValue", type: "bytes4" }],
  },
] as const;
const ERC1271_MAGIC_VALUE = "0x1626ba7e";

export type VerifyAuthorizationSignatureParameters<primaryType extends AuthorizationPrimaryType> = {
  /** Which EIP-3009 struct was signed. */
  primaryType: primaryType;
  /** The token's EIP-712 domain. */
  domain: Eip3009Domain;
  /** The signed struct; the expected signer is `from` (transfer/receive) or `authorizer` (cancel). */
  message: AuthorizationMessage<primaryType>;
  /** The signature to check. */
  signature: Hex;
  /**
   * A viem client used for contract signers (ERC-1271). Without it only ECDSA (EOA) signatures can
   * be valid.
   */
  client?: Client | undefined;
};
export type VerifyAuthorizationSignatureReturnType = boolean;
export type VerifyAuthorizationSignatureErrorType = HashAuthorizationErrorType;

/**
 * Checks that `signature` authorizes `message` the way an OpenZeppelin `SignatureChecker` token does:
 * a 65-byte ECDSA signature recovering to the signer (low `s`, `v` 27/28 or 0/1) is valid; otherwise,
 * when a `client` is given and the signer has code, its ERC-1271 `isValidSignature` must return the
 * magic value. ERC-6492 wrapped signatures of undeployed wallets are not unwrapped here.
 *
 * Contract reverts and empty returns count as "invalid"; transport failures throw.
 *
 * @see https://eips.ethereum.org/EIPS/eip-1271
 * @param parameters - {@link VerifyAuthorizationSignatureParameters}
 * @returns Whether the signature is valid for the message's signer.
 * @throws {InvalidAuthorizationError} When the message itself is malformed.
 *
 * @example
 * ```ts
 * import { createPublicClient, http } from "viem";
 * import { base } from "viem/chains";
 * import { verifyAuthorizationSignature } from "@x402kit/signer";
 * const valid = await verifyAuthorizationSignature({
 *   primaryType: "TransferWithAuthorization",
 *   domain, message, signature,
 *   client: createPublicClient({ chain: base, transport: http() }),
 * });
 * ```
 */
export async function verifyAuthorizationSignature<const primaryType extends AuthorizationPrimaryType>(
  parameters: VerifyAuthorizationSignatureParameters<primaryType>,
): Promise<VerifyAuthorizationSignatureReturnType> {
  const { primaryType, domain, message, signature, client } = parameters;
  const hash = hashAuthorization({ primaryType, domain, message });
  const signer: Address =
    "authorizer" in message ? message.authorizer : (message as AuthorizationMessage<"TransferWithAuthorization">).from;

  if (await isValidEcdsa(hash, signature, signer)) return true;
  if (!client) return false;

  const code = await getCode(client, { address: signer });
  if (!code || code === "0x") return false;
  try {
    const magic = await readContract(client, {
      address: signer,
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [hash, signature],
    });
    return magic.toLowerCase() === ERC1271_MAGIC_VALUE;
  } catch (error) {
    if (isContractRejection(error)) return false;
    throw error;
  }
}

async function isValidEcdsa(hash: Hex, signature: Hex, signer: Address): Promise<boolean> {
  let parts: ReturnType<typeof splitSignature>;
  try {
    parts = splitSignature({ signature });
  } catch {
    return false;
  }
  try {
    const recovered = await recoverAddress({ hash, signature: { r: parts.r, s: parts.s, yParity: parts.yParity } });
    return isAddressEqual(recovered, signer);
  } catch {
    return false; // r or s outside the curve: not a valid ECDSA signature
  }
}

function isContractRejection(error: unknown): boolean {
  if (!(error instanceof ViemBaseError)) return false;
  return (
    error.walk(
      (cause) =>
        cause instanceof ContractFunctionRevertedError ||
        cause instanceof ContractFunctionZeroDataError ||
        cause instanceof AbiDecodingZeroDataError,
    ) !== null
  );
}
