/**
 * An in-process facilitator for tests: the official `x402Facilitator` with `registerExactEvmScheme`
 * (v2 for the given network, v1 for every named network), usable directly as a `FacilitatorClient`
 * or over HTTP on 127.0.0.1. The HTTP bodies are validated with our wire schemas, as a facilitator
 * built on `@x402kit/signer/wire` would.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import type { LocalAccount } from "viem";
import { SupportedResponse, VerifyRequest } from "../../src/wire/index.js";
import type { TestChain } from "./chain.js";

/**
 * Builds the official facilitator over a test chain.
 *
 * @param chain - The test chain.
 * @param account - The facilitator's gas-paying account.
 * @returns The facilitator.
 */
export function createOfficialFacilitator(chain: TestChain, account: LocalAccount): x402Facilitator {
  const client = chain.walletClient(account);
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    readContract: (args) => client.readContract(args as never),
    verifyTypedData: (args) => client.verifyTypedData(args as never),
    writeContract: (args) => client.writeContract(args as never),
    sendTransaction: (args) => client.sendTransaction(args as never),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
    getCode: (args) => client.getCode(args),
  });
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: `eip155:${chain.chain.id}` as `${string}:${string}` });
  return facilitator;
}

/**
 * Serves `facilitator` as `POST /verify`, `POST /settle`, `GET /supported` on 127.0.0.1.
 *
 * @param facilitator - The facilitator.
 * @returns The base URL and a close function.
 */
export async function serveFacilitator(
  facilitator: x402Facilitator,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === "GET" && req.url === "/supported") {
        return send(200, SupportedResponse.parse(facilitator.getSupported()));
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const parsed = VerifyRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString()));
      if (!parsed.success) return send(400, { error: "invalid request" });
      const payload = parsed.data.paymentPayload as unknown as PaymentPayload;
      const requirements = parsed.data.paymentRequirements as unknown as PaymentRequirements;
      if (req.method === "POST" && req.url === "/verify")
        return send(200, await facilitator.verify(payload, requirements));
      if (req.method === "POST" && req.url === "/settle")
        return send(200, await facilitator.settle(payload, requirements));
      send(404, { error: "not found" });
    } catch (error) {
      send(500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
