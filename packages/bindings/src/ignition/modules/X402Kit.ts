import { buildModule } from "@nomicfoundation/ignition-core";
import { batchSettlementRouterModule } from "./BatchSettlementRouter.js";
import { identityRegistryModule } from "./IdentityRegistry.js";
import { reputationRegistryModule } from "./ReputationRegistry.js";
import { testUsdcModule } from "./TestUSDC.js";
import { validationRegistryModule } from "./ValidationRegistry.js";

/**
 * Ignition module `X402Kit`: every x402kit contract, i.e. the submodules `TestUSDC`,
 * `BatchSettlementRouter`, `IdentityRegistry`, `ReputationRegistry` and `ValidationRegistry`.
 *
 * Its results are named like the keys of `X402KitAddresses`; each is the future of the address
 * integrators use (the registries' proxies). Parameters are those of `TestUSDC`, keyed by the
 * submodule id: `{ "TestUSDC": { "faucetCap": "1000000000n", ... } }`.
 */
export const x402KitModule = buildModule("X402Kit", (m) => {
  const { testUsdc } = m.useModule(testUsdcModule);
  const { batchSettlementRouter } = m.useModule(batchSettlementRouterModule);
  const { identityRegistry } = m.useModule(identityRegistryModule);
  const { reputationRegistry } = m.useModule(reputationRegistryModule);
  const { validationRegistry } = m.useModule(validationRegistryModule);
  return { testUsdc, batchSettlementRouter, identityRegistry, reputationRegistry, validationRegistry };
});
