/**
 * Renderers of a plan: text for a terminal, Markdown for a pull request, Mermaid for a diagram, HTML for a review page.
 *
 * @example
 * ```ts
 * import { renderPlanText, renderPlanMarkdown, renderPlanMermaid } from './render/index.js';
 * console.log(renderPlanText(plan));
 * ```
 */
export { renderDiffText, renderPlanText, type RenderTextOptions } from './text.js';
export { renderDiffMarkdown, renderPlanMarkdown } from './markdown.js';
export { renderPlanMermaid } from './mermaid.js';
export { renderPlanHtml, type RenderHtmlOptions } from './html.js';
