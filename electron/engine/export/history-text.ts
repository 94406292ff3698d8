import { yuan } from '../../../shared/money';
import type { Lang } from '../../../shared/records';
import { STATUS_LABELS } from '../../../shared/statuses';
import type { HistoryEntry } from '../reconcile/workflow';

/** One history line, as the case screen and the evidence report word it. */
export function historyText(e: HistoryEntry, lang: Lang): string {
  const d = e.detail;
  const parts: string[] = [];
  if (e.action === 'status' && e.status) {
    parts.push(
      lang === 'zh'
        ? `状态改为${STATUS_LABELS[e.status][lang]}`
        : `status → ${STATUS_LABELS[e.status][lang]}`,
    );
  }
  if (d.closedBy === 'data')
    parts.push(lang === 'zh' ? '后续数据已解释此差异' : 'explained by data imported since');
  if (d.ticketNo)
    parts.push(
      lang === 'zh'
        ? `工单号 ${d.ticketNo}（${d.ticketDate ?? ''}）`
        : `ticket ${d.ticketNo} (${d.ticketDate ?? ''})`,
    );
  if (d.recoveredFen !== undefined)
    parts.push(lang === 'zh' ? `追回/退还 ${yuan(d.recoveredFen)}` : `recovered ${yuan(d.recoveredFen)}`);
  if (d.reason) parts.push(lang === 'zh' ? `原因：${d.reason}` : `reason: ${d.reason}`);
  if (d.fileName) parts.push(lang === 'zh' ? `附件 ${d.fileName}` : `attachment ${d.fileName}`);
  if (d.caseId !== undefined)
    parts.push(lang === 'zh' ? `归入案件 #${d.caseId}` : `added to case #${d.caseId}`);
  if (d.note) parts.push(lang === 'zh' ? `备注：${d.note}` : `note: ${d.note}`);
  return parts.join(lang === 'zh' ? '；' : '; ');
}
