/**
 * TEST-ONLY entry point: `main.ts` in batched mode with the test MockBatchRouter (address in
 * X402KIT_TEST_ROUTER), so that crash tests can SIGKILL a batched facilitator mid-batch.
 */
import { loadConfig } from "../../src/config/loadConfig.js";
import { faultsFromSpec } from "../../src/engine/faults.js";
import { serveFacilitator } from "../../src/http/serveFacilitator.js";
import { mockRouterSubmitter } from "./mockRouter.js";

const config = loadConfig();
const router = process.env.X402KIT_TEST_ROUTER as `0x${string}`;
const served = await serveFacilitator(config, {
  faults: faultsFromSpec(process.env.X402KIT_FAULT),
  batchSubmitter: mockRouterSubmitter(router, config.networks[0]?.chainId ?? 31337),
});
process.on("SIGTERM", () => void served.shutdown("SIGTERM"));
await served.closed;
process.exit(0);
