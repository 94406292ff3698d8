import type { ApiError } from '../../../shared/api';

/** A request the engine refuses, with the reason in both languages; transports pass it on as is. */
export class ApiRefusal extends Error {
  constructor(
    readonly code: ApiError['code'],
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }

  toJSON(): ApiError {
    return { code: this.code, zh: this.zh, en: this.en };
  }
}

export const notFound = (what: { zh: string; en: string }) => new ApiRefusal('not_found', what.zh, what.en);
