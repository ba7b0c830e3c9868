import type { FileMetadata, FileUpload } from '../contract/files.js';
import { send, type Transport } from './transport.js';
import { ProblemError } from './problem-error.js';
import type { FileClient, UploadOptions } from './types.js';

/**
 * The FileStore half of a key's client: `upload`; `list`, `get` and `delete` are the CRUD client's (same routes,
 * same pages).
 *
 * @example
 * ```ts
 * const upload = fileUpload(transport);
 * ```
 */
export function fileUpload(t: Transport): FileClient['upload'] {
  return async (file, options = {}) => {
    const name = options.name ?? (file as { name?: unknown }).name;
    const declared = {
      name: typeof name === 'string' && name !== '' ? name : 'file',
      contentType: file.type || 'application/octet-stream',
      size: file.size,
    };
    const created = (
      await send(t, {
        method: 'POST',
        path: '',
        body: declared,
        ...(options.signal ? { signal: options.signal } : {}),
      })
    ).body as FileUpload;
    await putBlob(t, created.uploadUrl, file, declared.contentType, options);
    return (
      await send(t, {
        method: 'POST',
        path: `/${encodeURIComponent(created.id)}/complete`,
        ...(options.signal ? { signal: options.signal } : {}),
      })
    ).body as FileMetadata;
  };
}

/**
 * PUT the bytes to the SAS URL as one block blob (Put Blob: `x-ms-blob-type: BlockBlob`, a known length — the
 * service takes no chunked body). No `Authorization` header: the URL is its own credential. In a browser through
 * XMLHttpRequest, whose upload events give progress; elsewhere through `fetch`.
 */
async function putBlob(
  t: Transport,
  url: string,
  file: Blob,
  contentType: string,
  options: UploadOptions,
): Promise<void> {
  const total = file.size;
  const headers = { 'x-ms-blob-type': 'BlockBlob', 'Content-Type': contentType };
  const Xhr = (globalThis as { XMLHttpRequest?: new () => MinimalXhr }).XMLHttpRequest;
  if (Xhr && options.onProgress) {
    await new Promise<void>((resolve, reject) => {
      const xhr = new Xhr();
      xhr.open('PUT', url);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e: { loaded: number }) => {
        options.onProgress?.(e.loaded, total);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject(uploadRefused(xhr.status));
      };
      xhr.onerror = () => {
        reject(uploadRefused(0));
      };
      options.signal?.addEventListener('abort', () => {
        xhr.abort();
        reject(options.signal?.reason as Error);
      });
      xhr.send(file);
    });
    return;
  }
  options.onProgress?.(0, total);
  const r = await t.fetch(url, {
    method: 'PUT',
    headers,
    body: file,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!r.ok) throw uploadRefused(r.status);
  options.onProgress?.(total, total);
}

function uploadRefused(status: number): ProblemError {
  return new ProblemError(status === 0 ? 503 : status, {
    type: 'urn:atakora:problem:upload-refused',
    title: 'Upload refused',
    detail:
      status === 403
        ? 'Blob Storage refused the upload URL (expired, or used for another file): upload again.'
        : `Blob Storage answered ${String(status)} to the upload.`,
  });
}

/** What `putBlob` uses of a browser's XMLHttpRequest (the package compiles without the DOM library). */
interface MinimalXhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  readonly upload: { onprogress: ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  readonly status: number;
  abort(): void;
  send(body: Blob): void;
}
