/**
 * Test fixture: a parent process that starts a node, prints `{ pid, port }` as one JSON line, then
 * idles until it is killed. Used to prove the node exits with its parent.
 */
import { startHardhatNode } from "../startHardhatNode.js";

const node = await startHardhatNode();
process.stdout.write(`${JSON.stringify({ pid: node.pid, port: node.port })}\n`);
setInterval(() => {}, 60_000);
