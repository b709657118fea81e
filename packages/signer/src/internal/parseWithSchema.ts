import type { z } from "zod";
import { type SchemaIssue, SchemaValidationError } from "../errors/wire.js";

/**
 * Parses `value` with `schema`, throwing a {@link SchemaValidationError} (never a raw `ZodError`).
 *
 * @param schema - The zod schema.
 * @param value - The untrusted value.
 * @param name - Schema name for the error message.
 * @returns The parsed value.
 */
export function parseWithSchema<T extends z.ZodType>(schema: T, value: unknown, name: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SchemaValidationError({ schema: name, issues: toSchemaIssues(result.error) });
}

/**
 * Flattens zod issues into `{ path, message }` pairs, descending into union branches.
 *
 * @param error - The zod error.
 * @returns One entry per leaf issue.
 */
export function toSchemaIssues(error: z.ZodError): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const visit = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        for (const branch of issue.errors) visit(branch, path);
        continue;
      }
      out.push({ path: path.map(String).join("."), message: issue.message });
    }
  };
  visit(error.issues, []);
  return out;
}
