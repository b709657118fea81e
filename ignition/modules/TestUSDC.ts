import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** 1,000 test USDC (6 decimals): the default faucet cap per call. */
const DEFAULT_FAUCET_CAP = 1_000_000_000n;
/** One hour between faucet drips to the same address. */
const DEFAULT_FAUCET_COOLDOWN = 3_600n;

/**
 * TestUSDC: the EIP-3009 test stablecoin.
 *
 * Parameters (all optional):
 * - `name`, `symbol`, `version`: the ERC-20 name (= EIP-712 domain name), symbol and EIP-712 version.
 *   Defaults mirror Base Sepolia USDC ("USDC", "USDC", "2"), so x402 requirements carry the same `extra`.
 * - `faucetEnabled`, `faucetCap`, `faucetCooldown`: the public faucet (on by default, for testnets).
 *
 * The deployer (account 0) becomes the admin and receives every role (admin, master minter, pauser,
 * blocklister); grant roles to others afterwards. With `--strategy create2` the address depends only on
 * the bytecode and the constructor arguments (which include the admin), so the same deployer and
 * parameters give the same address on every chain.
 */
export default buildModule("TestUSDC", (m) => {
  const admin = m.getAccount(0);
  const token = m.contract("TestUSDC", [
    m.getParameter("name", "USDC"),
    m.getParameter("symbol", "USDC"),
    m.getParameter("version", "2"),
    admin,
  ]);

  m.call(
    token,
    "configureFaucet",
    [
      m.getParameter("faucetEnabled", true),
      m.getParameter("faucetCap", DEFAULT_FAUCET_CAP),
      m.getParameter("faucetCooldown", DEFAULT_FAUCET_COOLDOWN),
    ],
    { from: admin },
  );

  return { token };
});
