import { buildModule } from "@nomicfoundation/ignition-core";
import { testUsdcDefaults } from "../parameters.js";

/**
 * Ignition module `TestUSDC`: the EIP-3009 test stablecoin, with its public faucet configured.
 *
 * Futures: `TestUSDC#TestUSDC` (the token) and `TestUSDC#TestUSDC.configureFaucet`.
 *
 * Parameters (defaults in {@link testUsdcDefaults}): `name`, `symbol`, `version` (the ERC-20 name and
 * symbol and the EIP-712 domain), `faucetEnabled`, `faucetCap` (base units per call) and
 * `faucetCooldown` (seconds between drips to one address).
 *
 * The deployer (account 0) is the admin and holds every role (admin, master minter, pauser,
 * blocklister); grant roles to others afterwards. With the CREATE2 strategy the address depends on
 * the bytecode and the constructor arguments, the admin included: the same deployer and parameters
 * give the same address on every chain.
 */
export const testUsdcModule = buildModule("TestUSDC", (m) => {
  const admin = m.getAccount(0);
  const testUsdc = m.contract("TestUSDC", [
    m.getParameter("name", testUsdcDefaults.name),
    m.getParameter("symbol", testUsdcDefaults.symbol),
    m.getParameter("version", testUsdcDefaults.version),
    admin,
  ]);

  m.call(
    testUsdc,
    "configureFaucet",
    [
      m.getParameter("faucetEnabled", testUsdcDefaults.faucetEnabled),
      m.getParameter("faucetCap", testUsdcDefaults.faucetCap),
      m.getParameter("faucetCooldown", testUsdcDefaults.faucetCooldown),
    ],
    { from: admin },
  );

  return { testUsdc };
});
