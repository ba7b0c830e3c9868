type Obj = Record<string, unknown>;

// The stand-in's reading of Stripe's form-encoded parameters (`metadata[k]=v`, `items[0][price]=…`).

/** `metadata[k]=v` form fields under `prefix` as an object. */
export function metadataOf(form: URLSearchParams, prefix: string): Obj {
  const out: Obj = {};
  const re = new RegExp(`^${prefix.replace(/[[\]]/g, '\\$&')}\\[([^\\]]+)\\]$`);
  for (const [k, v] of form) {
    const m = re.exec(k);
    if (m?.[1] !== undefined) out[m[1]] = v;
  }
  return out;
}

/** The prices of `items[i][price]` (or `line_items[…]`) form fields, in order. */
export function pricesOf(form: URLSearchParams, list: string): string[] {
  const out: string[] = [];
  for (let i = 0; form.has(`${list}[${String(i)}][price]`); i++)
    out.push(form.get(`${list}[${String(i)}][price]`) ?? '');
  return out;
}
