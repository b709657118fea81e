import { ierc3009Abi } from "@x402kit/bindings";
import { parseAbi } from "viem";

/**
 * The EIP-3009 token surface the facilitator calls: the generated `IERC3009` ABI (both
 * `transferWithAuthorization` overloads of USDC FiatToken v2.2, `authorizationState`, the
 * `AuthorizationUsed` / `AuthorizationCanceled` events and the custom errors) plus the ERC-20 reads and
 * the `Transfer` event that prove and diagnose a settlement. Any EIP-3009 token (USDC, TestUSDC) has it.
 */
export const eip3009Abi = [
  ...ierc3009Abi,
  ...parseAbi([
    "function balanceOf(address account) view returns (uint256)",
    "function name() view returns (string)",
    "function version() view returns (string)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
  ]),
] as const;

/** ERC-1271: `isValidSignature(hash, signature)` returns this magic value when the signature is valid. */
export const erc1271Abi = parseAbi([
  "function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4 magicValue)",
]);

/** The ERC-1271 magic value, `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e" as const;
