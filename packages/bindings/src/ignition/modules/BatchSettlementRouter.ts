import { buildModule } from "@nomicfoundation/ignition-core";

/**
 * Ignition module `BatchSettlementRouter`: the stateless batch settlement router (no constructor
 * arguments, no owner), so its CREATE2 address is the same for every deployer on every chain.
 *
 * Futures: `BatchSettlementRouter#BatchSettlementRouter`.
 */
export const batchSettlementRouterModule = buildModule("BatchSettlementRouter", (m) => {
  const batchSettlementRouter = m.contract("BatchSettlementRouter");
  return { batchSettlementRouter };
});
