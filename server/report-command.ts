import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { WasteReport } from '../contracts/waste-report.ts';
import { openStore } from '../analytics/store/db.ts';
import { buildWasteReport } from '../analytics/waste/report.ts';
import { loadPriceBook } from '../pricing/catalog.ts';
import { storeFile } from './paths.ts';
import { renderReportCsv } from './report-render/csv.ts';
import { renderReportHtml } from './report-render/html.ts';
import { renderReportText } from './report-render/terminal.ts';

export const REPORT_FORMATS = ['text', 'html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportCommandOptions {
  dataDir: string;
  format: ReportFormat;
  out?: string;
  color: boolean;
}

/** `apex report`: analyses the imported data and prints or writes the report. */
export async function runReportCommand(options: ReportCommandOptions): Promise<string> {
  const dbFile = storeFile(options.dataDir, false);
  if (!existsSync(dbFile)) {
    throw new Error(`nothing imported yet (${dbFile} does not exist); run \`apex import <files...>\` first`);
  }
  const db = openStore(dbFile);
  let report: WasteReport;
  try {
    report = buildWasteReport(db, { prices: await loadPriceBook() });
  } finally {
    db.close();
  }
  const rendered = render(report, options);
  if (options.out) {
    await writeFile(options.out, rendered);
    return `wrote the ${options.format} report to ${options.out} (${report.findings.length} findings)`;
  }
  return rendered;
}

function render(report: WasteReport, options: ReportCommandOptions): string {
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return renderReportCsv(report);
    case 'html':
      return renderReportHtml(report);
    case 'text':
      return renderReportText(report, { color: options.color && !options.out });
  }
}
