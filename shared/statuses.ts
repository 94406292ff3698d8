// Where a mismatch stands in the user's work on it. The ids are stable (stored, exported, typed on
// the command line); the labels are what screens and reports show.

import type { Bilingual } from './records';

/** The statuses a user sets; 'closed' is the reconcile run's own (new data explained it). */
export const USER_STATUSES = ['open', 'investigating', 'disputed', 'resolved', 'dismissed'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const CASE_STATUSES = [...USER_STATUSES, 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, Bilingual> = {
  open: { zh: '待处理', en: 'Open' },
  investigating: { zh: '处理中', en: 'Investigating' },
  disputed: { zh: '已申诉', en: 'Disputed' },
  resolved: { zh: '已解决', en: 'Resolved' },
  dismissed: { zh: '已忽略', en: 'Dismissed' },
  closed: { zh: '已自动关闭', en: 'Closed by data' },
};

/** Statuses that mean nobody has concluded yet: new data may still close them, and a day with any
 *  of them cannot be closed (日结). */
export const UNDECIDED_STATUSES: ReadonlySet<CaseStatus> = new Set(['open', 'investigating']);
