/** What a run looks like to a reader: the HTML report and the terminal's tables. */
export { escapeHtml, renderReport } from "./html.ts";
export { breakdownTables, errorBreakdown, statusText, summaryLines } from "./text_tables.ts";
export { accuracyText, headlineName, interval, intervalName, percent, pValue } from "./format.ts";
export { samplesCsv } from "./csv.ts";
export { type ComparisonView, renderComparison } from "./compare_html.ts";
