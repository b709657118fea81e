/**
 * EIP-3009 (Transfer With Authorization) EIP-712 type tables, exported once as `as const` objects.
 * Every other copy (Solidity typehashes, facilitator, docs) is tested against these.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009
 */

/** EIP-712 types of `transferWithAuthorization`, the type x402 `exact` clients sign. */
export const transferWithAuthorizationTypes = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** EIP-712 types of `receiveWithAuthorization` (the payee must submit it; used by the router's fee mode). */
export const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** EIP-712 types of `cancelAuthorization`. */
export const cancelAuthorizationTypes = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** `keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")` */
export const TRANSFER_WITH_AUTHORIZATION_TYPEHASH =
  "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267" as const;

/** `keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")` */
export const RECEIVE_WITH_AUTHORIZATION_TYPEHASH =
  "0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8" as const;

/** `keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")` */
export const CANCEL_AUTHORIZATION_TYPEHASH =
  "0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429" as const;
