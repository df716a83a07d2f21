import type { AppErrorCode } from "@laget/domain";

/**
 * The one domain error. Plain functions throw it; the tRPC error formatter maps
 * its code to a tRPC code in one place (`trpc/errors.ts`).
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
    this.name = "AppError";
  }
}
