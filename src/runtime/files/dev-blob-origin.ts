// The setting's name alone, apart from blobs.ts: \`atakora dev\` writes it into the apps' settings without loading the
// Storage SDK that blobs.ts imports (docs/performance.md, "The suite").

/** Set by \`atakora dev\` only: its plain-HTTP door to Azurite (cli/dev/storage/blob-proxy.ts), which browsers can reach. */
export const DEV_BLOB_ORIGIN_SETTING = 'ATAKORA_DEV_BLOB_ORIGIN';
