import type { Lang } from '../../../shared/records';

// A printable report as a list of blocks, so that the same content is laid out once and rendered
// twice — as self-contained HTML and as a PDF with embedded fonts — without the two drifting apart.

export type ReportBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | {
      type: 'table';
      /** null: a facts table (label | value pairs) without a header row. */
      headers: string[] | null;
      rows: string[][];
      /** Relative column widths; equal when absent. */
      widths?: number[];
    };

export interface ReportDoc {
  lang: Lang;
  title: string;
  /** A line under the title: who the report is from and when it was made. */
  subtitle: string;
  blocks: ReportBlock[];
  /** Printed at the foot of every page. */
  footer: string;
}
