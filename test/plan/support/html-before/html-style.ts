/**
 * The review page's whole style sheet, inlined in it (the page loads nothing). System fonts only; colours keep
 * WCAG AA contrast (4.5:1 and more) in the light and the dark scheme; tables and the diagram scroll sideways on
 * a phone instead of shrinking their text.
 */
export const PAGE_CSS = `
:root{--fg:#1b1f24;--muted:#4b5563;--bg:#ffffff;--panel:#f4f6f8;--line:#c9d1d9;--accent:#0b5cad;
--comp:#e7f0fb;--comp-line:#0b5cad;--res:#eef7ee;--res-line:#1f6f32;--tf:#f6f6f7;--tf-line:#6b7280;
--add:#0f6b2f;--add-bg:#e3f4e8;--chg:#7a4a00;--chg-bg:#fff1d6;--rep:#8a3b00;--rep-bg:#ffe4cf;--loss:#a1001b;--loss-bg:#fde2e6;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#b1bac4;--bg:#0d1117;--panel:#161b22;--line:#3d444d;--accent:#79b8ff;
--comp:#0f2a47;--comp-line:#79b8ff;--res:#12301c;--res-line:#7ee2a0;--tf:#1c2128;--tf-line:#9ca3af;
--add:#7ee2a0;--add-bg:#12301c;--chg:#f2cc60;--chg-bg:#3a2c06;--rep:#ffb077;--rep-bg:#3d1f08;--loss:#ff9ea8;--loss-bg:#4a0d16}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px}
header,main,footer,nav{max-width:78rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);margin:.2rem 0}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.headline{font-size:1.1rem;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem}
.delta{font-weight:700}.delta.up{color:var(--loss)}.delta.down{color:var(--add)}
.callout{border-radius:6px;padding:.6rem .8rem;margin:.8rem 0}
.callout.danger{background:var(--loss-bg);border:2px solid var(--loss)}
.callout.ok{background:var(--add-bg);border:1px solid var(--add)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.realtime-events{overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
th{background:var(--panel)}
.num{text-align:right;white-space:nowrap}
table code{overflow-wrap:normal}
td.details{color:var(--muted);overflow-wrap:anywhere}
tr.data-loss td{background:var(--loss-bg)}
tr.needs-migration td{background:var(--chg-bg)}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600;border:1px solid currentColor}
.badge.add,.badge.create{color:var(--add)}.badge.change,.badge.update{color:var(--chg)}
.badge.replace{color:var(--rep)}.badge.remove,.badge.destroy{color:var(--loss)}
.badge.data-loss,.badge.error{background:var(--loss);color:var(--bg);border-color:var(--loss)}
.badge.warning{color:var(--chg)}
.issues{padding-left:1.2rem}
.bars{max-width:36rem;margin:.6rem 0}
.bar-row{display:grid;grid-template-columns:6rem 1fr 6rem;align-items:center;gap:.5rem}
.bar{display:block;height:.8rem;border-radius:3px}.bar.shared{background:var(--res-line)}.bar.unshared{background:var(--tf-line)}
.bar-value{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:0}
.diagram{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;background:var(--bg);padding:.5rem}
svg.architecture{display:block;height:auto}
svg .column-head{font:600 13px system-ui,sans-serif;fill:var(--muted)}
svg .node rect{stroke-width:1.2}
svg .node text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:var(--fg)}
svg .node .label{font-weight:600}svg .node .sub{font-size:11px;fill:var(--muted)}
svg .node-deploy .label{font-weight:400}
svg .node-component rect{fill:var(--comp);stroke:var(--comp-line)}
svg .node-resource rect{fill:var(--res);stroke:var(--res-line)}
svg .node-deploy rect{fill:var(--tf);stroke:var(--tf-line)}
svg .mark-added rect{fill:var(--add-bg);stroke:var(--add);stroke-width:2.5}
svg .mark-changed rect{fill:var(--chg-bg);stroke:var(--chg);stroke-width:2.5}
svg .mark-replaced rect{fill:var(--rep-bg);stroke:var(--rep);stroke-width:2.5}
svg .mark-data-loss rect{fill:var(--loss-bg);stroke:var(--loss);stroke-width:3;stroke-dasharray:6 3}
svg .edge{fill:none;stroke:var(--tf-line);stroke-width:1;opacity:.7}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;font-size:.9rem}
.legend span{display:inline-block;width:1rem;height:.8rem;border-radius:2px;vertical-align:middle;margin-right:.3rem;border:2px solid}
.legend .l-comp{background:var(--comp);border-color:var(--comp-line)}.legend .l-res{background:var(--res);border-color:var(--res-line)}
.legend .l-tf{background:var(--tf);border-color:var(--tf-line)}.legend .l-add{background:var(--add-bg);border-color:var(--add)}
.legend .l-chg{background:var(--chg-bg);border-color:var(--chg)}.legend .l-rep{background:var(--rep-bg);border-color:var(--rep)}
.legend .l-loss{background:var(--loss-bg);border-color:var(--loss);border-style:dashed}
ul.alt>li{margin:.3rem 0}ul.deploys{font-size:.9rem}
footer{color:var(--muted);font-size:.85rem;padding:2rem 1rem}
@media (max-width:40rem){body{font-size:15px}h1{font-size:1.3rem}th,td{padding:.3rem}.bar-row{grid-template-columns:4.5rem 1fr 5rem}}
`;
