import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { DashboardAssetsMissingError } from "./errors.js";

/** One built file, held in memory. */
export type WebAsset = { body: Buffer; contentType: string; immutable: boolean };

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Where the build puts the web app: `dist/web` of this package. */
export const DASHBOARD_WEB_ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..", "web");

/**
 * Reads every file of the built web app into memory, keyed by URL path (`/index.html`, `/assets/…`). Only
 * these paths are ever served, so no request can reach another file. Files under `assets/` carry a content
 * hash in their name and are cached forever by browsers; `index.html` is always revalidated.
 *
 * @param root - The directory (default {@link DASHBOARD_WEB_ROOT}).
 * @returns The files by path.
 * @throws {DashboardAssetsMissingError} When `root` has no `index.html`.
 */
export function loadWebAssets(root: string = DASHBOARD_WEB_ROOT): Map<string, WebAsset> {
  if (!existsSync(join(root, "index.html"))) throw new DashboardAssetsMissingError({ directory: root });
  const assets = new Map<string, WebAsset>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const urlPath = `/${relative(root, path).split(sep).join("/")}`;
      assets.set(urlPath, {
        body: readFileSync(path),
        contentType: TYPES[extname(name)] ?? "application/octet-stream",
        immutable: urlPath.startsWith("/assets/"),
      });
    }
  };
  walk(root);
  return assets;
}
