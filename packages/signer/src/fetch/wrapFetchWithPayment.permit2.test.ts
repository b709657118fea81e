import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { toClientEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { recoverTypedDataAddress, verifyTypedData } from "viem";
import { baseSepoliaUsdc, buildPaymentRequiredV2, buildRequirementsV2, payer } from "../../test/constants.js";
import { startServer, type TestServer } from "../../test/helpers/startServer.js";
import { buildPermit2TypedData } from "../permit2/buildPermit2TypedData.js";
import {
  eip2612PermitTypes,
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "../permit2/constants.js";
import type { ContractReader } from "../permit2/createEip2612GasSponsoringExtension.js";
import type { Eip2612GasSponsoringInfo } from "../permit2/schemas.js";
import type { Permit2Payload } from "../permit2/types.js";
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
  type PaymentRequirementsV2,
} from "../wire/index.js";
import { PaymentRefusedError, type SpendingPolicy, wrapFetchWithPayment } from "./index.js";

const facilitator = "0x00000000000000000000000000000000000f00d5";
const exactPermit2 = buildRequirementsV2({ extra: { assetTransferMethod: "permit2" } });
const upto = buildRequirementsV2({ scheme: "upto", amount: "40000", extra: { facilitatorAddress: facilitator } });
const policy = (maxAmountPerRequest: bigint): SpendingPolicy => ({
  assets: [{ network: "eip155:84532", asset: baseSepoliaUsdc.address, maxAmountPerRequest }],
});
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** A v2 paywall on 127.0.0.1 asking for `accepts`; a paid request is answered 200 with a settlement. */
async function paywall(accepts: PaymentRequirementsV2[], extensions?: Record<string, unknown>): Promise<TestServer> {
  const server = await startServer((req, res) => {
    if (req.headers["payment-signature"]) {
      res.writeHead(200, {
        "PAYMENT-RESPONSE": encodePaymentResponseHeader({
          settleResponse: {
            success: true,
            transaction: `0x${"cd".repeat(32)}`,
            network: "eip155:84532",
            payer: payer.address,
          },
        }),
      });
      res.end("{}");
      return;
    }
    res.writeHead(402, {
      "PAYMENT-REQUIRED": encodePaymentRequiredHeader({
        paymentRequired: buildPaymentRequiredV2({ accepts, ...(extensions ? { extensions } : {}) }),
      }),
    });
    res.end("{}");
  });
  servers.push(server);
  return server;
}

const sentPayload = (server: TestServer) => {
  const header = server.requests.find((r) => r.headers["payment-signature"])?.headers["payment-signature"];
  assert.ok(typeof header === "string", "a paid request was sent");
  return decodePaymentSignatureHeader({ value: header });
};

describe("wrapFetchWithPayment over Permit2", () => {
  for (const [name, requirements, spender] of [
    ["exact with assetTransferMethod permit2", exactPermit2, X402_EXACT_PERMIT2_PROXY_ADDRESS],
    ["upto", upto, X402_UPTO_PERMIT2_PROXY_ADDRESS],
  ] as const) {
    test(`default: pays ${name} with a Permit2 witness transfer to its proxy, signed by the payer`, async () => {
      const server = await paywall([requirements]);
      const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(50_000n), permit2: true });
      const response = await pay(`${server.url}/report`);
      assert.equal(response.status, 200);
      const sent = sentPayload(server);
      assert.deepEqual(sent.accepted, requirements, "accepted is the server's entry, verbatim");
      const payload = sent.payload as Permit2Payload;
      const auth = payload.permit2Authorization;
      assert.equal(auth.from.toLowerCase(), payer.address.toLowerCase());
      assert.equal(auth.spender, spender);
      assert.equal(auth.permitted.amount, requirements.amount, "the amount, for upto the maximum");
      assert.equal(auth.witness.to.toLowerCase(), requirements.payTo.toLowerCase());
      if (requirements.scheme === "upto") assert.equal(auth.witness.facilitator?.toLowerCase(), facilitator);
      const typed = buildPermit2TypedData({
        scheme: requirements.scheme as "exact" | "upto",
        chainId: 84532,
        authorization: auth,
      });
      assert.equal(
        await verifyTypedData({
          ...typed,
          address: payer.address,
          signature: payload.signature,
        } as Parameters<typeof verifyTypedData>[0]),
        true,
        "the payer's Permit2 signature",
      );
    });
  }

  test("behavior: without permit2 on, Permit2 and upto requirements are refused before anything is signed", async () => {
    const server = await paywall([exactPermit2, upto]);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(50_000n) });
    await assert.rejects(pay(`${server.url}/report`), (error: unknown) => {
      assert.ok(error instanceof PaymentRefusedError);
      assert.deepEqual(
        error.rejections.map((r) => r.reason),
        ["unsupported_transfer_method", "unsupported_scheme"],
      );
      return true;
    });
    assert.equal(server.requests.length, 1, "no paid request");
  });

  test("behavior: the policy counts upto at its maximum — a 40,000 maximum is refused under a 30,000 cap", async () => {
    const server = await paywall([upto]);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(30_000n), permit2: true });
    await assert.rejects(pay(`${server.url}/report`), PaymentRefusedError);
    assert.equal(server.requests.length, 1, "no paid request");
  });
});

/** The server's declaration, as `declareEip2612GasSponsoringExtension()` of `@x402/extensions` writes it (abridged schema). */
const declared = {
  eip2612GasSponsoring: {
    info: {
      description: "The facilitator accepts EIP-2612 gasless Permit to `Permit2` canonical contract.",
      version: "1",
    },
    schema: { type: "object", required: ["from", "asset", "spender", "amount", "nonce", "deadline", "signature"] },
  },
};
const TOKEN_NONCE = 4n;

/** The chain as the payer sees it: a Permit2 allowance of `allowance`, the token's nonce {@link TOKEN_NONCE}; logs reads. */
function chainWith(allowance: bigint) {
  const reads: string[] = [];
  const client = {
    readContract: async ({ functionName }: { functionName: string }) => {
      reads.push(functionName);
      return functionName === "nonces" ? TOKEN_NONCE : allowance;
    },
  } as unknown as ContractReader;
  return { client, reads };
}

describe("wrapFetchWithPayment over Permit2 with eip2612GasSponsoring", () => {
  const domain = { name: baseSepoliaUsdc.name, version: baseSepoliaUsdc.version };
  const exactWithDomain = buildRequirementsV2({ extra: { ...domain, assetTransferMethod: "permit2" } });
  const uptoWithDomain = buildRequirementsV2({
    scheme: "upto",
    amount: "40000",
    extra: { ...domain, facilitatorAddress: facilitator },
  });

  for (const [name, requirements, scheme] of [
    ["exact", exactWithDomain, new ExactEvmScheme(toClientEvmSigner(payer, chainWith(0n).client as never))],
    ["upto", uptoWithDomain, new UptoEvmScheme(toClientEvmSigner(payer, chainWith(0n).client as never))],
  ] as const) {
    test(`default: ${name}: a payer without allowance sends the signed permit of Permit2, the official client's extensions byte for byte`, async (t) => {
      t.mock.timers.enable({ apis: ["Date"], now: 1_750_000_000_000 });
      const server = await paywall([requirements], declared);
      const { client, reads } = chainWith(0n);
      const pay = wrapFetchWithPayment(fetch, {
        signer: payer,
        policy: policy(50_000n),
        permit2: true,
        eip2612GasSponsoring: { client },
      });
      const response = await pay(`${server.url}/report`);
      assert.equal(response.status, 200);
      assert.deepEqual(reads, ["allowance", "nonces"]);
      const sent = sentPayload(server);
      const theirs = await new x402Client()
        .register("eip155:84532", scheme)
        .setSpendControls({ allowedAssets: true })
        .createPaymentPayload(buildPaymentRequiredV2({ accepts: [requirements], extensions: declared }) as never);
      assert.equal(JSON.stringify(sent.extensions), JSON.stringify(theirs.extensions));

      const info = (sent.extensions as { eip2612GasSponsoring: { info: Eip2612GasSponsoringInfo } })
        .eip2612GasSponsoring.info;
      const auth = (sent.payload as Permit2Payload).permit2Authorization;
      assert.equal(info.deadline, auth.deadline, "the permit expires with the Permit2 authorization");
      assert.equal(info.amount, requirements.amount, "the permit allows the amount, for upto the maximum");
      const recovered = await recoverTypedDataAddress({
        domain: { ...domain, chainId: 84532, verifyingContract: baseSepoliaUsdc.address },
        types: eip2612PermitTypes,
        primaryType: "Permit",
        message: {
          owner: payer.address,
          spender: PERMIT2_ADDRESS,
          value: BigInt(requirements.amount),
          nonce: TOKEN_NONCE,
          deadline: BigInt(info.deadline),
        },
        signature: info.signature,
      });
      assert.equal(recovered, payer.address);
    });
  }

  test("behavior: enough allowance, no declaration, no token domain or no client for the network: no permit, the declaration echoed as is", async () => {
    for (const [allowance, accepts, extensions, forNetwork] of [
      [10_000n, exactWithDomain, declared, true],
      [0n, exactWithDomain, undefined, true],
      [0n, exactPermit2, declared, true],
      [0n, exactWithDomain, declared, false],
    ] as const) {
      const server = await paywall([accepts], extensions);
      const { client, reads } = chainWith(allowance);
      const pay = wrapFetchWithPayment(fetch, {
        signer: payer,
        policy: policy(50_000n),
        permit2: true,
        eip2612GasSponsoring: { client: (network) => (forNetwork && network === "eip155:84532" ? client : undefined) },
      });
      assert.equal((await pay(`${server.url}/report`)).status, 200);
      assert.deepEqual(sentPayload(server).extensions, extensions);
      assert.ok(!reads.includes("nonces"), "no permit was signed");
    }
  });

  test("behavior: an allowance that cannot be read counts as short, as in the official clients", async () => {
    const server = await paywall([exactWithDomain], declared);
    const client = {
      readContract: async ({ functionName }: { functionName: string }) => {
        if (functionName === "allowance") throw new Error("rpc down");
        return TOKEN_NONCE;
      },
    } as unknown as ContractReader;
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      policy: policy(50_000n),
      permit2: true,
      eip2612GasSponsoring: { client },
    });
    assert.equal((await pay(`${server.url}/report`)).status, 200);
    const info = (sentPayload(server).extensions as { eip2612GasSponsoring: { info: Eip2612GasSponsoringInfo } })
      .eip2612GasSponsoring.info;
    assert.equal(info.nonce, TOKEN_NONCE.toString());
  });
});
