/**
 * The live dashboard in a real headless Chromium (playwright-core driving the system's Chromium), against a
 * running devnet: the demo agent's payments with their real settlement transactions (checked against the
 * chain), a new payment arriving live over SSE without a reload, a failed payment with its reason, the charts,
 * the transaction view, and a phone-sized layout. `UPDATE_SCREENSHOTS=1` rewrites `docs/images/dashboard-*.png`.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { batchSettlementRouterAbi, testUsdcAbi } from "@x402kit/bindings";
import { wrapFetchWithPayment } from "@x402kit/signer/fetch";
import { type Browser, chromium, type Page } from "playwright-core";
import { createPublicClient, type Hash, http, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type DemoReport, type Devnet, runDemoAgent, startDevnet } from "../src/index.js";
import { findChromium } from "./helpers/findChromium.js";

/** The little of a browser canvas the test reads (this package type-checks without the DOM library). */
type Canvas = {
  width: number;
  height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
};

const screenshots = process.env.UPDATE_SCREENSHOTS === "1";
const imagesDir = join(import.meta.dirname, "..", "..", "..", "docs", "images");

describe("dashboard (headless Chromium)", { timeout: 180_000 }, () => {
  let devnet: Devnet;
  let browser: Browser;
  let page: Page;
  let report: DemoReport;
  let loadMs = 0;
  let pageMs = 0;

  before(async () => {
    const executablePath = findChromium(); // throws with instructions: never a silent skip
    devnet = await startDevnet({ demo: true, dashboard: true, accounts: 3 });
    report = await runDemoAgent(devnet, { calls: 9, concurrency: 3 });
    assert.equal(report.payments.length, 9, JSON.stringify(report.failures));
    browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: "light" });
    const started = Date.now();
    await page.goto(devnet.dashboardUrl as string);
    await page.locator('[data-testid="payment-row"][data-state="settled"]').nth(8).waitFor({ timeout: 15_000 });
    loadMs = Date.now() - started;
    // Milliseconds from the navigation's start to the page showing every payment, as the page's own clock has it.
    pageMs = await page.evaluate(() =>
      Math.round((globalThis as unknown as { performance: { now(): number } }).performance.now()),
    );
  });
  after(async () => {
    await browser?.close();
    await devnet?.stop();
  });

  test("default: shows the demo agent's payments with their real settlement transactions", async () => {
    const rows = await page
      .locator('[data-testid="payment-row"][data-state="settled"]')
      .evaluateAll((elements) =>
        elements.map((e) => ({ payer: e.getAttribute("data-payer"), tx: e.getAttribute("data-tx") })),
      );
    assert.equal(rows.length, report.payments.length);
    const expected = report.payments.map((p) => `${p.payer.toLowerCase()} ${p.transaction}`).sort();
    assert.deepEqual(rows.map((r) => `${r.payer} ${r.tx}`).sort(), expected);

    // Each hash on the page is a mined router transaction that paid those payers, per the chain itself.
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    for (const hash of new Set(rows.map((r) => r.tx as Hash))) {
      const receipt = await client.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      assert.equal(receipt.to?.toLowerCase(), devnet.contracts.router.toLowerCase());
      const payers = parseEventLogs({ abi: testUsdcAbi, eventName: "AuthorizationUsed", logs: receipt.logs }).map(
        (log) => log.args.authorizer.toLowerCase(),
      );
      const onPage = rows.filter((r) => r.tx === hash).map((r) => r.payer as string);
      assert.deepEqual([...payers].sort(), [...onPage].sort());
    }
    // Every settlement transaction is listed with its gas.
    const batches = await page
      .locator('[data-testid="batch-row"]')
      .evaluateAll((e) => e.map((row) => row.getAttribute("data-tx")));
    assert.deepEqual([...batches].sort(), report.transactions.map((t) => t.hash).sort());
    await assertEventuallyText(page, '[data-testid="stat-settled"]', /^9 settled$/);
    // The demo agent's feedback reaches the agent card.
    await assertEventuallyText(page, '[data-testid="agent-summary"]', /^1 review, average 100$/);
  });

  test("behavior: the charts render with data", async () => {
    for (const id of ["chart-settled", "chart-latency", "chart-gas"]) {
      const chart = page.locator(`[data-testid="${id}"]`);
      const box = await chart.locator("canvas").boundingBox();
      assert.ok(box && box.width > 150 && box.height > 100, `${id} has no canvas: ${JSON.stringify(box)}`);
      assert.ok(Number(await chart.getAttribute("data-points")) > 0, `${id} has no points`);
    }
    const drawn = await page.locator('[data-testid="chart-settled"] canvas').evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const context = canvas.getContext("2d");
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) painted++;
      return painted;
    });
    assert.ok(drawn > 500, `the settled/s chart painted only ${drawn} pixels`);
  });

  test("behavior: a new payment appears live, without a reload", async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const before = await page.locator('[data-testid="payment-row"]').count();
    // The page notes when each settled row first shows; against the row's server-side event time (the same clock),
    // that is the facilitator-event-to-screen latency (SSE, with its 100 ms coalescing, and the render).
    await page.evaluate(() => {
      const view = globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: unknown): void };
        shownAt: Record<string, number>;
      };
      view.shownAt = {};
      new view.MutationObserver(() => {
        const rows = view.document.querySelectorAll('[data-testid="payment-row"][data-state="settled"]');
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i];
          const tx = row?.getAttribute("data-tx");
          if (tx && !(tx in view.shownAt)) view.shownAt[tx] = Date.now() - Number(row?.getAttribute("data-updated-at"));
        }
      }).observe(view.document, { subtree: true, childList: true, attributes: true });
    });
    const next = await runDemoAgent(devnet, { calls: 1, feedback: false });
    const hash = next.payments[0]?.transaction as Hash;
    assert.ok(hash, JSON.stringify(next.failures));
    await page
      .locator(`[data-testid="payment-row"][data-tx="${hash}"][data-state="settled"]`)
      .waitFor({ timeout: 5_000 });
    const eventToScreenMs = await page.evaluate(
      (tx) => (globalThis as unknown as { shownAt: Record<string, number> }).shownAt[tx],
      hash,
    );
    assert.ok(
      eventToScreenMs !== undefined && eventToScreenMs >= 0 && eventToScreenMs < 2_000,
      String(eventToScreenMs),
    );
    assert.equal(await page.locator('[data-testid="payment-row"]').count(), before + 1);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument), true);
    console.log(
      `# dashboard: 9 payments on screen ${pageMs} ms after navigation start (${loadMs} ms from goto); a new payment on screen ${eventToScreenMs} ms after the facilitator's event`,
    );
  });

  test("behavior: a payment that fails shows its reason", async () => {
    // A payer with no USDC: the facilitator's /verify refuses it, the demo API answers 402.
    const broke = privateKeyToAccount(generatePrivateKey());
    const pay = wrapFetchWithPayment(fetch, {
      signer: broke,
      policy: {
        assets: [{ network: devnet.network, asset: devnet.contracts.token.address, maxAmountPerRequest: 100_000n }],
        payees: [devnet.agent.wallet],
      },
    });
    const response = await pay(`${devnet.demoApiUrl}/weather`).catch((error: unknown) => error);
    assert.ok(!(response instanceof Response) || response.status !== 200, "an unfunded payer was served");
    const row = page.locator(`[data-testid="payment-row"][data-payer="${broke.address.toLowerCase()}"]`);
    await row.waitFor({ timeout: 5_000 });
    assert.equal(await row.getAttribute("data-state"), "failed");
    assert.equal(await row.locator('[data-testid="payment-reason"]').textContent(), "insufficient_funds");
    await assertEventuallyText(page, '[data-testid="stat-failed"]', /^1 failed$/);
    if (screenshots) {
      mkdirSync(imagesDir, { recursive: true });
      await page.screenshot({ path: join(imagesDir, "dashboard.png"), fullPage: true });
    }
  });

  test("behavior: the transaction view decodes the router call from the chain, reached by keyboard", async () => {
    const transaction = report.transactions.at(-1) as DemoReport["transactions"][number];
    const link = page.locator(`[data-testid="batch-row"][data-tx="${transaction.hash}"] [data-testid="tx-link"]`);
    await link.focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="tx-authorization"]').first().waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('[data-testid="tx-status"]').textContent(), "success");
    assert.match((await page.locator('[data-testid="tx-call"]').textContent()) ?? "", /^settle\(/);
    const items = await page
      .locator('[data-testid="tx-authorization"]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-status")} ${r.getAttribute("data-from")}`));
    const paid = report.payments.filter((p) => p.transaction === transaction.hash);
    assert.deepEqual(items.sort(), paid.map((p) => `settled ${p.payer.toLowerCase()}`).sort());
    assert.match(
      (await page.locator('[data-testid="tx-gas"]').textContent()) ?? "",
      new RegExp(`^${transaction.gasUsed.toLocaleString("en-US")} of `),
    );
    const logs = (await page.locator('[data-testid="tx-logs"]').textContent()) ?? "";
    assert.match(logs, /BatchSettlementRouter\.AuthorizationSettled/);
    assert.match(logs, /Token\.AuthorizationUsed/);
    // The call really is the router's settle, as the chain has it.
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const onChain = await client.getTransaction({ hash: transaction.hash });
    assert.equal(onChain.to?.toLowerCase(), devnet.contracts.router.toLowerCase());
    assert.ok(batchSettlementRouterAbi.some((item) => item.type === "function" && item.name === "settle"));
    if (screenshots) await page.screenshot({ path: join(imagesDir, "dashboard-tx.png"), fullPage: true });
    await page.locator("a.back").click();
    await page.locator('[data-testid="payments-table"]').waitFor();
  });

  test("behavior: fits a phone screen without sideways scrolling of the page", async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    try {
      await phone.goto(devnet.dashboardUrl as string);
      await phone.locator('[data-testid="payment-row"]').first().waitFor({ timeout: 10_000 });
      const overflow = await phone.evaluate(() => {
        const view = globalThis as unknown as {
          document: { documentElement: { scrollWidth: number } };
          innerWidth: number;
        };
        return view.document.documentElement.scrollWidth - view.innerWidth;
      });
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
      if (screenshots) await phone.screenshot({ path: join(imagesDir, "dashboard-phone.png") });
    } finally {
      await phone.close();
    }
  });
});

async function assertEventuallyText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 5_000;
  let text = "";
  while (Date.now() < deadline) {
    const found = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 250 })
      .catch(() => null);
    text = (found ?? "").replace(/\s+/g, " ").trim();
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(text, pattern);
}
