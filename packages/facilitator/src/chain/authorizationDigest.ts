import { TRANSFER_WITH_AUTHORIZATION_TYPEHASH } from "@x402kit/signer";
import { type Address, concatHex, type Hex, hashDomain, keccak256, numberToHex, padHex } from "viem";
import type { Authorization } from "../domain/types.js";

/** The EIP-712 domain of an EIP-3009 token. */
export type TokenDomain = { name: string; version: string; chainId: number; verifyingContract: Address };

const domainSeparators = new Map<string, Hex>();

/**
 * The EIP-712 domain separator of a token, cached per (name, version, chainId, address).
 *
 * @param domain - The token's domain.
 * @returns `hashStruct(EIP712Domain)`.
 */
export function domainSeparator(domain: TokenDomain): Hex {
  const cacheKey = `${domain.name}\u0000${domain.version}\u0000${domain.chainId}\u0000${domain.verifyingContract.toLowerCase()}`;
  let separator = domainSeparators.get(cacheKey);
  if (!separator) {
    separator = hashDomain({
      domain: { ...domain, chainId: BigInt(domain.chainId) },
      types: {
        EIP712Domain: [
          { name: "name", type: "string" },
          { name: "version", type: "string" },
          { name: "chainId", type: "uint256" },
          { name: "verifyingContract", type: "address" },
        ],
      },
    });
    if (domainSeparators.size > 1024) domainSeparators.clear();
    domainSeparators.set(cacheKey, separator);
  }
  return separator;
}

const word = (value: bigint): Hex => numberToHex(value, { size: 32 });

/**
 * The EIP-712 digest a payer signs for `TransferWithAuthorization`: the exact bytes the token recovers
 * from. Computed by hand (fixed-size fields only) because it runs once per payment on the hot path;
 * `authorizationDigest.test.ts` proves it equals viem's `hashTypedData` with the signer's type table.
 *
 * @param domain - The token's EIP-712 domain.
 * @param authorization - The authorization.
 * @returns `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))`.
 */
export function authorizationDigest(domain: TokenDomain, authorization: Authorization): Hex {
  const structHash = keccak256(
    concatHex([
      TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
      padHex(authorization.from, { size: 32 }),
      padHex(authorization.to, { size: 32 }),
      word(authorization.value),
      word(authorization.validAfter),
      word(authorization.validBefore),
      authorization.nonce,
    ]),
  );
  return keccak256(concatHex(["0x1901", domainSeparator(domain), structHash]));
}
