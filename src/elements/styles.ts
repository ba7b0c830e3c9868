/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The elements' look: every colour, radius, space and font a `--atakora-*` custom property with an accessible
// default (WCAG 2.2 AA contrast on a white page: text 4.5:1, controls and focus 3:1), every piece a `part`.

/**
 * The style sheet, scoped to `.atakora` (light DOM) and the shadow roots; themed through custom properties.
 *
 * @example
 * ```css
 * atakora-members { --atakora-accent: #6d28d9; --atakora-radius: 0; }
 * atakora-members::part(button) { text-transform: uppercase; } // with the `shadow` attribute
 * ```
 */
export const STYLES = `
.atakora{font-family:var(--atakora-font,system-ui,sans-serif);color:var(--atakora-text,#1f2328);background:var(--atakora-background,transparent);line-height:1.5;display:block}
.atakora h2,.atakora h3{font-size:var(--atakora-heading-size,1.15rem);margin:var(--atakora-space,.75rem) 0 .5rem}
.atakora ul{list-style:none;margin:0;padding:0}
.atakora li{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.4rem 0;border-bottom:1px solid var(--atakora-border,#d0d7de)}
.atakora .atk-grow{flex:1 1 12rem;min-width:0;overflow-wrap:anywhere}
.atakora .atk-muted{color:var(--atakora-muted,#57606a)}
.atakora button{font:inherit;cursor:pointer;border-radius:var(--atakora-radius,6px);padding:.3rem .8rem;min-height:24px;min-width:24px;border:1px solid var(--atakora-accent,#0b5cad);background:var(--atakora-button-background,#fff);color:var(--atakora-accent,#0b5cad)}
.atakora button.atk-primary{background:var(--atakora-accent,#0b5cad);color:var(--atakora-accent-text,#fff)}
.atakora button.atk-danger{border-color:var(--atakora-danger,#b42318);color:var(--atakora-danger,#b42318)}
.atakora dialog button.atk-danger{background:var(--atakora-danger,#b42318);color:var(--atakora-danger-text,#fff)}
.atakora button[aria-current=true]{font-weight:700}
.atakora input,.atakora select{font:inherit;padding:.3rem;border:1px solid var(--atakora-input-border,#6e7781);border-radius:var(--atakora-radius,6px);color:inherit;background:var(--atakora-input-background,#fff)}
.atakora :focus-visible{outline:3px solid var(--atakora-focus,#0b5cad);outline-offset:2px}
.atakora form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
.atakora label{display:flex;flex-direction:column;gap:.2rem}
.atakora [role=alert]{border:1px solid var(--atakora-danger,#b42318);color:var(--atakora-danger,#b42318);border-radius:var(--atakora-radius,6px);padding:.5rem .75rem;margin:.5rem 0}
.atakora [role=alert] p{margin:.25rem 0 0;color:var(--atakora-text,#1f2328)}
.atakora [aria-invalid=true]{border-color:var(--atakora-danger,#b42318);box-shadow:0 0 0 1px var(--atakora-danger,#b42318)}
.atakora .atk-field-error{color:var(--atakora-danger,#b42318);flex-basis:100%;font-size:.875em}
.atakora .atk-field-errors{list-style:disc;padding-inline-start:1.25rem;margin:.25rem 0 0}
.atakora .atk-field-errors li{display:list-item;border:0;padding:0}
.atakora .atk-field-errors a{color:inherit}
.atakora .atk-status{min-height:1.5em;margin:.25rem 0}
.atakora .atk-over{color:var(--atakora-danger,#b42318);font-weight:600}
.atakora .atk-badge{border:1px solid var(--atakora-border,#d0d7de);border-radius:999px;padding:0 .5rem;font-size:.875em}
.atakora dialog{border:1px solid var(--atakora-border,#d0d7de);border-radius:var(--atakora-radius,6px);padding:1rem;max-width:28rem;color:var(--atakora-text,#1f2328);background:var(--atakora-dialog-background,#fff)}
.atakora dialog::backdrop{background:rgb(0 0 0 / .4)}
.atakora .atk-actions{display:flex;gap:.5rem;justify-content:flex-end;margin-top:1rem}
.atakora .atk-link{overflow-wrap:anywhere}
.atakora .atk-block{display:block}
.atakora .atk-check{flex-direction:row;align-items:center}
.atakora .atk-actions-inline{display:flex;flex-wrap:wrap;gap:.5rem}
.atakora code{font-family:var(--atakora-mono,ui-monospace,monospace);overflow-wrap:anywhere}
.atakora dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
.atakora dd{margin:0}
.atakora .atk-scroll{overflow-x:auto;max-width:100%}
.atakora table{border-collapse:collapse;width:100%}
.atakora th,.atakora td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid var(--atakora-border,#d0d7de);vertical-align:top}
.atakora nav{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.atakora .atk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

/** Put the style sheet once into `root` (the document's head for light DOM, a shadow root otherwise). */
export function adoptStyles(root: Document | ShadowRoot): void {
  const host = root instanceof Document ? root.head : root;
  if (host.querySelector('style[data-atakora-elements]')) return;
  const style = document.createElement('style');
  style.dataset['atakoraElements'] = '';
  style.textContent = STYLES;
  host.prepend(style);
}
