/** Base class of every error thrown by `@x402kit/dashboard`. */
export class DashboardError extends Error {
  override name = "DashboardError";
  /** The one-line message, without details. */
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, parameters: { details?: string | undefined; cause?: unknown } = {}) {
    super(
      parameters.details ? `${shortMessage}\n\nDetails: ${parameters.details}` : shortMessage,
      parameters.cause === undefined ? undefined : { cause: parameters.cause },
    );
    this.shortMessage = shortMessage;
    this.details = parameters.details;
  }
}

/** The built web app is not where the server looks for it (the package was not built). */
export class DashboardAssetsMissingError extends DashboardError {
  override name = "DashboardAssetsMissingError" as const;
  readonly directory: string;

  constructor({ directory }: { directory: string }) {
    super(`The dashboard's web app is not built (no index.html in ${directory})`, {
      details: "run `pnpm build` (or `pnpm --filter @x402kit/dashboard build`) first",
    });
    this.directory = directory;
  }
}

/** The chain has no transaction with that hash. */
export class TransactionNotFoundError extends DashboardError {
  override name = "TransactionNotFoundError" as const;
  readonly hash: string;

  constructor({ hash, cause }: { hash: string; cause?: unknown }) {
    super(`No transaction ${hash} on this chain`, { cause });
    this.hash = hash;
  }
}
