/**
 * In-process Hardhat networks for the package tests: a real EDR chain per call, no Hardhat project
 * (the HRE is created from an inline config), closed by the caller.
 */

import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

let hre: Promise<HardhatRuntimeEnvironment> | undefined;

function getHre(): Promise<HardhatRuntimeEnvironment> {
  hre ??= createHardhatRuntimeEnvironment({
    networks: {
      // A local "Base Sepolia twin": chain id 84532, where Ignition does not install CreateX by itself.
      baseSepoliaTwin: { type: "edr-simulated", chainId: 84532 },
    },
  });
  return hre;
}

/** A fresh in-process chain: 31337 by default, 84532 with `"baseSepoliaTwin"`. */
export async function createNetwork(network?: "baseSepoliaTwin"): Promise<NetworkConnection> {
  return (await getHre()).network.create(network === undefined ? undefined : { network });
}
