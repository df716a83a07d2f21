/**
 * A token bucket per key: `burst` actions at once, refilled at `perSecond`. In memory,
 * per server process: it keeps one flooding client from hogging this node, which is
 * what it is for (it is not a quota).
 */
export type RateLimit = { burst: number; perSecond: number };

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export function createRateLimiter({ burst, perSecond }: RateLimit) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string, now = performance.now()): boolean {
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    forget(key: string) {
      buckets.delete(key);
    },
  };
}
