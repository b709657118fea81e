/**
 * The channel between `startHardhatNode` (parent) and `hardhat.config.ts` (loaded by Hardhat in the
 * child): one environment variable holding JSON.
 */

/** Name of the environment variable. */
export const NODE_CONFIG_ENV = "X402KIT_HARDHAT_NODE_CONFIG";

/** What the parent passes to the child's Hardhat configuration. */
export type NodeConfigEnv = {
  /** Directory for Hardhat's `artifacts` and `cache` paths (the node watches `artifacts/build-info`). */
  workDir: string;
  /** HD accounts of the node. */
  accounts: {
    mnemonic: string;
    count: number;
    /** Balance of each account in wei, as a decimal string. */
    balance: string;
  };
  /** Hardfork, when not Hardhat's default. */
  hardfork?: string | undefined;
};
