import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A package's version: 7 hex characters of the zip's SHA-256 (the portal's `app-package-<app>-<7 hex>` length).
 * Apply names where a version is uploaded with it (resources/functions/package.ts), and `atakora sandbox`'s
 * code-only redeploy finds the same place with it: one function, so the two can never disagree.
 *
 * @example
 * ```ts
 * packageVersion('/tmp/atakora-packages/atakora-func-shop-dev-x1-3f1c9a0e.zip'); // '3f1c9a0'
 * ```
 */
export function packageVersion(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 7);
}

/**
 * The zip's MD5, base64 — what Blob storage reports as `Content-MD5` and Terraform's `filemd5()` in hex.
 *
 * @example
 * ```ts
 * packageMd5('/tmp/atakora-packages/atakora-func-shop-dev-x1-3f1c9a0e.zip'); // 'q2FwcC1wYWNrYWdl…=='
 * ```
 */
export function packageMd5(file: string): string {
  return createHash('md5').update(readFileSync(file)).digest('base64');
}
