import { createRequire } from "node:module";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * Solidity version used for every contract. The compiler is the WebAssembly build shipped in the
 * `solc` npm package (pinned to exactly this version in package.json), so nothing is downloaded.
 */
export const SOLC_VERSION = "0.8.30";

/**
 * The one compiler configuration, for tests and deployments alike.
 *
 * `bytecodeHash: "none"` leaves the metadata hash out of the bytecode. Hardhat compiles files in
 * jobs whose remappings depend on what else is in the job (what changed since the last build, whether
 * tests are included), and the metadata records those remappings: with the hash in the bytecode the same
 * source could compile to different bytecode, hence different CREATE2 addresses, from one build to the
 * next. Without it, the bytecode depends on the code and the settings only (Permit2 does the same).
 */
const COMPILER = {
  version: SOLC_VERSION,
  path: require.resolve("solc/soljson.js"),
  settings: {
    optimizer: { enabled: true, runs: 10_000 },
    evmVersion: "prague",
    metadata: { bytecodeHash: "none" },
  },
} as const;

export default defineConfig({
  plugins: [hardhatToolboxViem, hardhatEthers, hardhatTypechain],
  solidity: {
    // Built from npm so deployments (tests, Ignition) get an `ERC1967Proxy` artifact for the UUPS registries.
    npmFilesToBuild: ["@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol"],
    profiles: {
      default: { compilers: [COMPILER] },
      // `hardhat ignition deploy` builds with `production`, which Hardhat would otherwise give solc's
      // defaults (200 optimizer runs) and isolated builds: other bytecode than the tests and the bindings
      // use. Same settings here, so every build gives the same bytecode.
      production: { compilers: [COMPILER], isolated: false },
    },
  },
  paths: {
    tests: {
      solidity: "test/solidity",
      nodejs: "test/contracts",
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256, seed: "0x7840326b6974" },
    },
  },
  typechain: {
    outDir: "types/ethers-contracts",
  },
  networks: {
    // An in-process chain with Base Sepolia's chain id, so tests exercise the Base Sepolia parameters.
    hardhatBaseSepolia: {
      type: "edr-simulated",
      chainType: "op",
      chainId: 84532,
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      chainId: 84532,
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY")],
    },
  },
  // `--verify` / `ignition verify` submit to Etherscan (one API v2 key covers Basescan), Blockscout and
  // Sourcify (no key); Base Sepolia's explorers are built into Hardhat's chain descriptors.
  verify: {
    etherscan: {
      apiKey: configVariable("ETHERSCAN_API_KEY"),
    },
  },
  ignition: {
    strategyConfig: {
      create2: {
        // keccak256("x402kit") — fixed so every chain gets the same addresses. Equal to `create2Salt` of
        // `@x402kit/bindings/ignition`, which deploys without Hardhat (test/contracts/deploy checks it).
        salt: "0x3e84d7110e7e1c5a6338e2078a2e267d7751b19f6065f940fbbeb546a6edcf0d",
      },
    },
  },
});
