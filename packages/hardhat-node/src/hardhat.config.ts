/**
 * The minimal Hardhat 3 configuration `startHardhatNode` runs `hardhat node` with: one simulated
 * network named `node`, no plugins and no Solidity sources (contracts are deployed from bytecode, e.g.
 * `@x402kit/bindings`), so it works from any installed copy of this package without a Hardhat project.
 * It is configured through the `X402KIT_HARDHAT_NODE_CONFIG` environment variable (JSON, see
 * `internal/nodeConfigEnv.ts`); chain id, hostname and port are `hardhat node` flags.
 */
import { join } from "node:path";
import type { HardhatUserConfig } from "hardhat/config";
import { NODE_CONFIG_ENV, type NodeConfigEnv } from "./internal/nodeConfigEnv.js";

const raw = process.env[NODE_CONFIG_ENV];
if (raw === undefined) {
  throw new Error(`${NODE_CONFIG_ENV} is not set: this configuration is meant to be used by startHardhatNode()`);
}
const options = JSON.parse(raw) as NodeConfigEnv;

const config: HardhatUserConfig = {
  paths: {
    artifacts: join(options.workDir, "artifacts"),
    cache: join(options.workDir, "cache"),
  },
  networks: {
    node: {
      type: "edr-simulated",
      chainType: "l1",
      ...(options.hardfork === undefined ? {} : { hardfork: options.hardfork }),
      accounts: {
        mnemonic: options.accounts.mnemonic,
        count: options.accounts.count,
        accountsBalance: options.accounts.balance,
      },
    },
  },
};

export default config;
