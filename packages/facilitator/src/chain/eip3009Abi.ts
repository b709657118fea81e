import { parseAbi } from "viem";

/**
 * The EIP-3009 token surface the facilitator calls: both `transferWithAuthorization` overloads of USDC
 * FiatToken v2.2, the reads used by verification and diagnosis, the events that prove a settlement,
 * and ERC-1271 `isValidSignature`. Any EIP-3009 token (USDC, our TestUSDC) exposes it.
 */
export const eip3009Abi = parseAbi([
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)",
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "function balanceOf(address account) view returns (uint256)",
  "function name() view returns (string)",
  "function version() view returns (string)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
  "event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce)",
]);

/** ERC-1271: `isValidSignature(hash, signature)` returns this magic value when the signature is valid. */
export const erc1271Abi = parseAbi([
  "function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4 magicValue)",
]);

/** The ERC-1271 magic value, `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e" as const;
