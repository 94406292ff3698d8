import { randomBytes } from 'node:crypto';
import type { ImportFileOutcome, Job } from '../../../shared/api';
import type { Bilingual } from '../../../shared/records';

/** Thrown inside long work when the user cancelled it; the work's transaction rolls back. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface JobHandle {
  progress(p: NonNullable<Job['progress']>): void;
  outcome(o: ImportFileOutcome): void;
  /** Throws CancelledError once the user has cancelled: call it between units of work. */
  checkCancelled(): void;
}

/**
 * Long work (imports of big files) runs while the UI keeps asking how far it got: a job has an id,
 * progress, outcomes, and can be cancelled. Finished jobs are kept briefly for the UI to collect.
 */
export class Jobs {
  private readonly jobs = new Map<string, Job & { cancelRequested: boolean }>();

  start(kind: Job['kind'], run: (job: JobHandle) => Promise<void>): string {
    const id = randomBytes(16).toString('hex');
    const job: Job & { cancelRequested: boolean } = {
      id,
      kind,
      state: 'running',
      progress: null,
      outcomes: [],
      error: null,
      cancelRequested: false,
    };
    this.jobs.set(id, job);
    const handle: JobHandle = {
      progress: (p) => {
        job.progress = p;
      },
      outcome: (o) => {
        job.outcomes.push(o);
      },
      checkCancelled: () => {
        if (job.cancelRequested) throw new CancelledError();
      },
    };
    void run(handle).then(
      () => {
        job.state = job.cancelRequested ? 'cancelled' : 'done';
      },
      (err: unknown) => {
        if (err instanceof CancelledError) job.state = 'cancelled';
        else {
          job.state = 'failed';
          const message = err instanceof Error ? err.message : String(err);
          job.error = { zh: `处理失败：${message}`, en: `Failed: ${message}` } satisfies Bilingual;
        }
      },
    );
    // Keep at most the 50 newest jobs.
    for (const old of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - 50))) this.jobs.delete(old);
    return id;
  }

  get(id: string): Job | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const { cancelRequested: _, ...rest } = job;
    return { ...rest, outcomes: [...rest.outcomes] };
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (job?.state !== 'running') return false;
    job.cancelRequested = true;
    return true;
  }
}
