import type { z } from "zod";

/** Every zod issue as one `path: message` line; an unknown key is named in the path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const at = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${at ? `${at}.` : ""}${key}: unknown key`);
    }
    return [`${at || "(top level)"}: ${issue.message}`];
  });
}
