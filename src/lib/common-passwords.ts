import { dictionary } from "@zxcvbn-ts/language-common";

// The most common passwords from breach corpora, as ranked by zxcvbn-ts's common
// dictionary (a maintained npm package, pinned in package.json): about 18,000 of them
// are 8 characters or longer. Compared case-insensitively.
let list: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  list ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return list.has(password.toLowerCase());
}
