/**
 * ERC-8004 constants shared by the signer, the registries' tests and the devnet: the Identity
 * Registry's EIP-712 domain and `AgentWalletSet` type as the official reference implementation
 * (erc-8004/erc-8004-contracts, v2.0.0) defines them, and the registration-file type URI.
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 */

/** EIP-712 domain `name` of the reference Identity Registry. */
export const IDENTITY_REGISTRY_EIP712_NAME = "ERC8004IdentityRegistry" as const;

/** EIP-712 domain `version` of the reference Identity Registry. */
export const IDENTITY_REGISTRY_EIP712_VERSION = "1" as const;

/** EIP-712 types of `setAgentWallet`'s proof that the new wallet consents. */
export const agentWalletSetTypes = {
  AgentWalletSet: [
    { name: "agentId", type: "uint256" },
    { name: "newWallet", type: "address" },
    { name: "owner", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** `keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)")` */
export const AGENT_WALLET_SET_TYPEHASH = "0x678b53cd718d595370ab070ebf48edfdcd834beac116bf23e625fc7f4d5b7d32" as const;

/** The registry accepts a deadline at most this many seconds after the current block (5 minutes). */
export const MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS = 300;

/** The `type` every ERC-8004 registration file carries. */
export const AGENT_REGISTRATION_FILE_TYPE = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1" as const;
